package dev.gatehouse.oauth.authorize;

import dev.gatehouse.core.client.AppClient;
import dev.gatehouse.core.client.AppClientDirectory;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.login.AuthorizeRequest;
import dev.gatehouse.core.login.ClientRedirect;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and checks {@code /oauth/authorize} parameters into an {@link AuthorizeRequest}. The client and the redirect
 * URI are checked first: when either is wrong the answer is an error page. Every later error is redirected to the
 * client with the RFC 6749 / OIDC codes. Routing to enterprise SSO or a social provider happens after this, on the
 * validated request's {@code provider}, {@code connection_id}, {@code organization_id}, {@code domain} and
 * {@code login_hint}.
 */
public final class AuthorizeEndpoint {
    public static final Set<String> SUPPORTED_SCOPES = Set.of("openid", "profile", "email", "offline_access");
    public static final Set<String> SUPPORTED_PROMPTS = Set.of("login", "create", "consent", "select_account", "none");
    static final int MAX_PARAMETER = 2048;
    static final int MAX_STATE = 1024;
    static final int MAX_NONCE = 512;
    static final int MAX_REDIRECT_URI = 512;
    private static final Pattern PKCE_CHALLENGE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final Pattern SELECTOR_ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,254}");

    private final AppClientDirectory clients;

    public AuthorizeEndpoint(AppClientDirectory clients) {
        this.clients = clients;
    }

    public AuthorizeDecision check(Environment environment, Map<String, List<String>> query) {
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            if (parameter.getValue().size() > 1 && !parameter.getKey().equals("resource")) {
                if (parameter.getKey().equals("client_id") || parameter.getKey().equals("redirect_uri")) {
                    return new AuthorizeDecision.ErrorPage("The request repeats the " + parameter.getKey() + " parameter.",
                            "repeated " + parameter.getKey());
                }
            }
        }
        Optional<String> clientId = single(query, "client_id");
        if (clientId.isEmpty() || clientId.get().length() > 64) {
            return new AuthorizeDecision.ErrorPage("The request names no valid client_id.", "missing client_id");
        }
        Optional<AppClient> client = clients.find(environment.id(), clientId.get());
        if (client.isEmpty()) {
            return new AuthorizeDecision.ErrorPage("The client " + clientId.get() + " is not registered.", "unknown client");
        }
        Optional<String> redirectUri = single(query, "redirect_uri");
        if (redirectUri.isPresent() && redirectUri.get().length() > MAX_REDIRECT_URI) {
            return new AuthorizeDecision.ErrorPage("The redirect_uri is too long.", "redirect_uri too long");
        }
        String redirect = redirectUri.or(() -> client.get().defaultRedirectUri()).orElse(null);
        if (redirect == null) {
            return new AuthorizeDecision.ErrorPage("The request has no redirect_uri and the client has no default.",
                    "missing redirect_uri");
        }
        if (!client.get().acceptsRedirectUri(redirect)) {
            return new AuthorizeDecision.ErrorPage("The redirect_uri is not registered for this client.",
                    "redirect_uri not registered: " + redirect);
        }

        Optional<String> state = single(query, "state");
        String issuer = environment.issuerUrl();
        if (state.isPresent() && state.get().length() > MAX_STATE) {
            return error(redirect, "invalid_request", "state is longer than " + MAX_STATE + " characters", Optional.empty(), issuer);
        }
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            if (parameter.getValue().size() > 1) {
                return error(redirect, "invalid_request", "The " + parameter.getKey() + " parameter is repeated", state, issuer);
            }
            if (parameter.getValue().getFirst().length() > MAX_PARAMETER) {
                return error(redirect, "invalid_request", "The " + parameter.getKey() + " parameter is too long", state, issuer);
            }
        }
        Optional<String> responseType = single(query, "response_type");
        if (responseType.isEmpty()) {
            return error(redirect, "invalid_request", "response_type is required", state, issuer);
        }
        if (!responseType.get().equals("code")) {
            return error(redirect, "unsupported_response_type", "Only response_type=code is supported", state, issuer);
        }
        List<String> scopes = new ArrayList<>(new LinkedHashSet<>(words(single(query, "scope").orElse(""))));
        if (!scopes.contains("openid")) {
            return error(redirect, "invalid_scope", "The openid scope is required", state, issuer);
        }
        for (String scope : scopes) {
            if (!SUPPORTED_SCOPES.contains(scope)) {
                return error(redirect, "invalid_scope", "Unsupported scope: " + scope, state, issuer);
            }
        }
        Optional<String> challenge = single(query, "code_challenge");
        Optional<String> method = single(query, "code_challenge_method");
        if (challenge.isPresent()) {
            if (method.isEmpty() || !method.get().equals("S256")) {
                return error(redirect, "invalid_request", "code_challenge_method must be S256 (plain is not supported)",
                        state, issuer);
            }
            if (!PKCE_CHALLENGE.matcher(challenge.get()).matches()) {
                return error(redirect, "invalid_request", "code_challenge is malformed", state, issuer);
            }
        } else if (method.isPresent()) {
            return error(redirect, "invalid_request", "code_challenge_method without code_challenge", state, issuer);
        } else if (client.get().enforcePkce()) {
            return error(redirect, "invalid_request", "This client must use PKCE (code_challenge with S256)", state, issuer);
        }
        Set<String> prompt = new LinkedHashSet<>(words(single(query, "prompt").orElse("")));
        for (String value : prompt) {
            if (!SUPPORTED_PROMPTS.contains(value)) {
                return error(redirect, "invalid_request", "Unsupported prompt value: " + value, state, issuer);
            }
        }
        if (prompt.contains("none") && prompt.size() > 1) {
            return error(redirect, "invalid_request", "prompt=none cannot be combined with other values", state, issuer);
        }
        Optional<String> nonce = single(query, "nonce");
        if (nonce.isPresent() && nonce.get().length() > MAX_NONCE) {
            return error(redirect, "invalid_request", "nonce is longer than " + MAX_NONCE + " characters", state, issuer);
        }
        Optional<String> loginHint = single(query, "login_hint").map(String::strip).filter(v -> !v.isEmpty());
        if (loginHint.isPresent() && loginHint.get().length() > 254) {
            return error(redirect, "invalid_request", "login_hint is too long", state, issuer);
        }
        Optional<String> organizationId = single(query, "organization_id");
        Optional<String> connectionId = single(query, "connection_id");
        Optional<String> provider = single(query, "provider");
        Optional<String> domain = single(query, "domain").or(() -> single(query, "domain_hint"));
        for (var selector : List.of(organizationId, connectionId, provider, domain)) {
            if (selector.isPresent() && !SELECTOR_ID.matcher(selector.get()).matches()) {
                return error(redirect, "invalid_request", "A connection selector has an invalid format", state, issuer);
            }
        }
        return new AuthorizeDecision.Valid(new AuthorizeRequest(clientId.get(), redirect, scopes, state, nonce, challenge,
                prompt, loginHint, organizationId, connectionId, domain.map(d -> d.toLowerCase(java.util.Locale.ROOT)),
                provider.map(p -> p.toLowerCase(java.util.Locale.ROOT))));
    }

    private static AuthorizeDecision error(String redirect, String error, String description, Optional<String> state,
                                           String issuer) {
        return new AuthorizeDecision.RedirectError(ClientRedirect.error(redirect, error, description, state, issuer),
                error + ": " + description);
    }

    private static Optional<String> single(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() || values.getFirst().isEmpty()
                ? Optional.empty() : Optional.of(values.getFirst());
    }

    private static List<String> words(String value) {
        return value.isBlank() ? List.of() : List.of(value.trim().split(" +"));
    }
}
