package dev.gatehouse.oauth.token;

import dev.gatehouse.core.client.AppClientService;
import dev.gatehouse.core.client.EnvironmentAppClient;
import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.SamlSettings;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.shared.PageRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Where an IdP-initiated login goes (spec-sso §3.3, R-SSO-68/74, docs/DECISIONS.md D-SS4): the connection's own
 * {@code default_redirect_uri} (SAML connections have one), else the default redirect URI of the environment's oldest
 * client that has one, with {@code idp_initiated_login=<JWT>} added. Never a code. The SAML ACS and the IdP
 * simulator's "IdP initiated SSO" scenario both use it, so the two cannot drift apart.
 */
public final class IdpInitiatedLoginRedirects {
    private static final int CLIENTS_CONSIDERED = 20;

    private final AppClientService appClients;
    private final IdpInitiatedLoginTokens tokens;

    public IdpInitiatedLoginRedirects(AppClientService appClients, IdpInitiatedLoginTokens tokens) {
        this.appClients = appClients;
        this.tokens = tokens;
    }

    /**
     * The URL to send the browser to, with a freshly signed token for {@code loginHint}; empty when neither the
     * connection nor any client of the environment has a default redirect URI (the caller refuses and audits).
     */
    public Optional<String> redirectUrl(Environment environment, Connection connection, String loginHint,
                                        Optional<String> relayState) {
        Optional<String> target = connection.saml().flatMap(SamlSettings::defaultRedirectUri)
                .filter(uri -> !uri.isBlank())
                .or(() -> environmentDefaultRedirectUri(environment.id()));
        return target.map(uri -> uri + (uri.contains("?") ? "&" : "?") + "idp_initiated_login="
                + URLEncoder.encode(tokens.issue(environment, connection.id(), connection.organizationId(), loginHint,
                relayState), StandardCharsets.UTF_8));
    }

    /** The default redirect URI of the environment's oldest client that has one. */
    private Optional<String> environmentDefaultRedirectUri(String environmentId) {
        return appClients.list(environmentId, List.of(), PageRequest.first(CLIENTS_CONSIDERED)).items().stream()
                .map(EnvironmentAppClient::settings).map(settings -> settings.defaultRedirectUri())
                .flatMap(Optional::stream).filter(uri -> !uri.isBlank()).findFirst();
    }
}
