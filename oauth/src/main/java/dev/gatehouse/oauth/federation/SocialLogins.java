package dev.gatehouse.oauth.federation;

import dev.gatehouse.core.connection.TokenAuthMethod;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentDirectory;
import dev.gatehouse.core.login.FederatedIdentity;
import dev.gatehouse.core.login.IdentityProviderRedirect;
import dev.gatehouse.core.login.IdentityProviderStarter;
import dev.gatehouse.core.login.LoginTransaction;
import dev.gatehouse.core.social.SocialConnection;
import dev.gatehouse.core.social.SocialConnectionService;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Social providers (spec-sso §5) as OAuth 2.0 clients: the authorization request ({@code state} = login ID, PKCE
 * S256 derived like an OIDC connection's), the token exchange ({@code client_secret_post}) and the profile, read
 * with the access token from the provider over TLS: OIDC userinfo for Google, Microsoft, GitLab, LinkedIn and
 * Salesforce, GitHub's {@code /user} and {@code /user/emails} (the verified primary address) for GitHub (D-SO5).
 * Callback: {@code <issuer>/sso/v1/social/<provider>/callback}.
 */
public final class SocialLogins implements IdentityProviderStarter {
    private static final String DESCRIPTION = "This sign-in method is not available";
    private final EnvironmentDirectory environments;
    private final SocialConnectionService settings;
    private final OidcCodeFlow flow;
    private final FederationSecrets secrets;

    public SocialLogins(EnvironmentDirectory environments, SocialConnectionService settings, OidcCodeFlow flow,
                        FederationSecrets secrets) {
        this.environments = environments;
        this.settings = settings;
        this.flow = flow;
        this.secrets = secrets;
    }

    public static String redirectUri(String issuerUrl, String provider) {
        String base = issuerUrl.endsWith("/") ? issuerUrl.substring(0, issuerUrl.length() - 1) : issuerUrl;
        return base + "/sso/v1/social/" + provider + "/callback";
    }

    @Override
    public IdentityProviderRedirect start(String environmentId, String provider, LoginTransaction login) {
        Optional<Environment> environment = environments.byId(environmentId);
        Optional<SocialConnection> connection = settings.active(environmentId, provider);
        if (environment.isEmpty() || connection.isEmpty()) {
            return new IdentityProviderRedirect.Unavailable("connection_not_active", DESCRIPTION,
                    "social provider " + provider + " is not configured or disabled");
        }
        OidcClient client = client(environment.get(), connection.get(), "");
        try {
            return new IdentityProviderRedirect.Location(flow.authorizationUrl(client, login.id(), Optional.empty(),
                    Optional.of(secrets.codeVerifier(environmentId, provider, login.id()))));
        } catch (IllegalArgumentException e) {
            return new IdentityProviderRedirect.Unavailable("connection_not_active", DESCRIPTION,
                    "invalid authorize_url for " + provider);
        }
    }

    /** Verifies the callback's code and reads the profile; the caller hands the identity to the login service. */
    FederatedIdentity verify(Environment environment, String provider, String loginId, String code) throws FederationFailure {
        SocialConnection connection = settings.active(environment.id(), provider).orElseThrow(() ->
                new FederationFailure("connection_not_active", DESCRIPTION, "social provider " + provider + " is not active"));
        OidcClient client = client(environment, connection, settings.clientSecret(connection));
        OidcCodeFlow.Tokens tokens = flow.exchange(client, code,
                Optional.of(secrets.codeVerifier(environment.id(), provider, loginId)));
        ClaimsProfile.Source source = new ClaimsProfile.Source(provider, Optional.empty(), "OAUTH",
                connection.provider().name(), true);
        if (connection.provider().usesGithubApi()) {
            return ClaimsProfile.identity(source, Map.of(), githubClaims(connection.effectiveProfileUrl(), tokens));
        }
        return ClaimsProfile.identity(source, Map.of(), flow.userInfo(connection.effectiveProfileUrl(), tokens.accessToken()));
    }

    /** GitHub's {@code /user} as OIDC-style claims, with the primary email of {@code /user/emails} and its verification. */
    private Map<String, Object> githubClaims(String apiBase, OidcCodeFlow.Tokens tokens) throws FederationFailure {
        String base = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
        if (!(flow.getJson(base + "/user", tokens.accessToken(), "userinfo") instanceof Map<?, ?> user)
                || user.get("id") == null) {
            throw ProviderHttp.failure("userinfo", "GitHub /user is not a user object");
        }
        Object emails = flow.getJson(base + "/user/emails", tokens.accessToken(), "userinfo");
        Map<String, Object> claims = new java.util.LinkedHashMap<>();
        user.forEach((name, value) -> claims.put(String.valueOf(name), value));
        claims.put("sub", String.valueOf(user.get("id")));
        claims.remove("email");
        Optional.ofNullable(user.get("name")).ifPresent(name -> claims.put("name", name));
        Optional.ofNullable(user.get("avatar_url")).ifPresent(url -> claims.put("picture", url));
        if (emails instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> address && Boolean.TRUE.equals(address.get("primary"))
                        && address.get("email") != null) {
                    claims.put("email", address.get("email"));
                    claims.put("email_verified", Boolean.TRUE.equals(address.get("verified")));
                }
            }
        }
        return claims;
    }

    private static OidcClient client(Environment environment, SocialConnection connection, String secret) {
        return new OidcClient(connection.clientId(), secret, TokenAuthMethod.CLIENT_SECRET_POST,
                connection.effectiveScopes(), true, new OidcEndpoints(Optional.empty(), connection.effectiveAuthorizeUrl(),
                connection.effectiveTokenUrl(), Optional.of(connection.effectiveProfileUrl()), Optional.empty()),
                redirectUri(environment.issuerUrl(), connection.provider().wire()));
    }
}
