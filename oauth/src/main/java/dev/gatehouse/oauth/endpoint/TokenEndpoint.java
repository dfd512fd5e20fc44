package dev.gatehouse.oauth.endpoint;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.client.OrganizationClientAuthentication;
import dev.gatehouse.core.client.OrganizationClientCredentials;
import dev.gatehouse.core.credential.EnvironmentClient;
import dev.gatehouse.core.credential.EnvironmentClientService;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentDirectory;
import dev.gatehouse.core.wire.WireRequest;
import dev.gatehouse.core.wire.WireResponse;
import dev.gatehouse.oauth.token.AccessTokenIssuer;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import net.minidev.json.JSONObject;

/**
 * {@code POST /oauth/token}. Parses the request with Nimbus, authenticates the client by
 * {@code client_secret_post} or {@code client_secret_basic}, and answers per RFC 6749 §5.1/§5.2.
 * Grants: {@code client_credentials} here, for environment management clients and (through
 * {@link OrganizationClientGrant}) organization M2M clients; {@code authorization_code} and
 * {@code refresh_token} in {@link UserGrants}.
 */
public final class TokenEndpoint {
    /** What Scalekit answers for environment management tokens ({@code expires_in: 86399}). */
    public static final Duration ENVIRONMENT_TOKEN_LIFETIME = Duration.ofSeconds(86_399);
    /** Scopes an environment management client may ask for; with none asked, it gets {@code openid}. */
    static final Set<String> ENVIRONMENT_CLIENT_SCOPES = Set.of("openid", "profile", "email");
    static final int MAX_BODY_CHARS = 16 * 1024;
    /**
     * Answers of the event-loop path waiting for their audit commit at most; beyond it requests take the blocking path,
     * whose thread count bounds them (the audit writer's queue then cannot grow without bound, D-TP11).
     */
    static final int MAX_WAITING_FROM_MEMORY = 1_024;

    private final EnvironmentClientService clients;
    private final EnvironmentDirectory environments;
    private final AccessTokenIssuer issuer;
    private final AuditTrail audit;
    private final Clock clock;
    private final OrganizationClientGrant organizationClients;
    private final UserGrants userGrants;
    private final FailureThrottle throttle;
    private final AtomicInteger waitingFromMemory = new AtomicInteger();

    public TokenEndpoint(EnvironmentClientService clients, OrganizationClientCredentials organizationClients,
                         EnvironmentDirectory environments, AccessTokenIssuer issuer, AuditTrail audit, Clock clock,
                         UserGrants userGrants) {
        this.organizationClients = new OrganizationClientGrant(organizationClients, environments, issuer);
        this.userGrants = userGrants;
        this.throttle = new FailureThrottle(clock);
        this.clients = clients;
        this.environments = environments;
        this.issuer = issuer;
        this.audit = audit;
        this.clock = clock;
    }

    public WireResponse handle(WireRequest request) {
        Optional<java.time.Duration> waitByAddress = throttle.blocked(request.remoteAddress(), Optional.empty());
        if (waitByAddress.isPresent()) {
            return throttled(request, Optional.empty(), waitByAddress.get());
        }
        if (!"POST".equals(request.method())) {
            return reject(request, Optional.empty(), Optional.empty(),
                    OAuthError.of(OAuth2Error.INVALID_REQUEST, "The token endpoint accepts POST only"), "method not POST");
        }
        if (request.body().length() > MAX_BODY_CHARS) {
            return reject(request, Optional.empty(), Optional.empty(),
                    OAuthError.of(OAuth2Error.INVALID_REQUEST, "Request body too large"), "body too large");
        }
        TokenRequest tokenRequest;
        try {
            tokenRequest = TokenRequest.parse(toNimbus(request));
        } catch (ParseException e) {
            var error = e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST;
            String code = error.getCode() == null ? OAuth2Error.INVALID_REQUEST.getCode() : error.getCode();
            OAuthError answer = OAuth2Error.INVALID_CLIENT.getCode().equals(code)
                    ? OAuthError.invalidClient(request.header("authorization").isPresent())
                    : OAuthError.of(new com.nimbusds.oauth2.sdk.ErrorObject(code), safeDescription(e));
            return reject(request, Optional.empty(), Optional.empty(), answer, "unparseable request: " + e.getMessage());
        }

        Optional<String> namedClient = Optional.ofNullable(tokenRequest.getClientAuthentication())
                .map(a -> a.getClientID().getValue())
                .or(() -> Optional.ofNullable(tokenRequest.getClientID()).map(Object::toString));
        Optional<java.time.Duration> waitByClient = throttle.blocked(request.remoteAddress(), namedClient);
        if (waitByClient.isPresent()) {
            return throttled(request, namedClient, waitByClient.get());
        }
        if (UserGrants.handles(tokenRequest)) {
            return switch (userGrants.handle(request, tokenRequest)) {
                case UserGrants.Result.Issued issued -> issued.response();
                case UserGrants.Result.Refused refused -> reject(request, refused.environmentId(), refused.clientId(),
                        refused.error(), refused.reason());
            };
        }
        ClientAuthentication authentication = tokenRequest.getClientAuthentication();
        boolean triedBasic = authentication != null
                && ClientAuthenticationMethod.CLIENT_SECRET_BASIC.equals(authentication.getMethod());
        String clientId = authentication == null ? null : authentication.getClientID().getValue();
        String secret = presentedSecret(authentication);
        if (authentication == null) {
            return reject(request, Optional.empty(), Optional.ofNullable(tokenRequest.getClientID()).map(Object::toString),
                    OAuthError.invalidClient(false), "no client authentication");
        }
        if (secret == null) {
            return reject(request, Optional.empty(), Optional.of(clientId), OAuthError.invalidClient(triedBasic),
                    "unsupported client authentication method " + authentication.getMethod());
        }

        if (OrganizationClientCredentials.isOrganizationClientId(clientId)) {
            return switch (organizationClients.handle(tokenRequest, clientId, secret, triedBasic)) {
                case OrganizationClientGrant.Outcome.Issued issued -> issued.response();
                case OrganizationClientGrant.Outcome.Refused refused -> reject(request, refused.environmentId(),
                        Optional.of(clientId), refused.error(), refused.reason());
            };
        }
        var outcome = clients.authenticate(clientId, secret);
        if (outcome instanceof dev.gatehouse.core.credential.ClientAuthentication.Rejected rejected) {
            return reject(request, rejected.environmentId(), Optional.of(clientId), OAuthError.invalidClient(triedBasic),
                    rejected.reason());
        }
        var client = ((dev.gatehouse.core.credential.ClientAuthentication.Authenticated) outcome).client();
        Optional<Environment> environment = environments.byId(client.environmentId());
        if (environment.isEmpty()) {
            return reject(request, Optional.of(client.environmentId()), Optional.of(clientId),
                    OAuthError.invalidClient(triedBasic), "client's environment does not exist");
        }

        GrantType grantType = tokenRequest.getAuthorizationGrant().getType();
        if (!(tokenRequest.getAuthorizationGrant() instanceof ClientCredentialsGrant)) {
            return reject(request, Optional.of(client.environmentId()), Optional.of(clientId),
                    OAuthError.of(OAuth2Error.UNAUTHORIZED_CLIENT, "This client may not use the " + grantType + " grant"),
                    "grant " + grantType + " not allowed for environment client");
        }
        Scope requested = tokenRequest.getScope();
        Optional<List<String>> scopes = environmentClientScopes(requested);
        if (scopes.isEmpty()) {
            String refused = requested.stream().map(Scope.Value::getValue)
                    .filter(value -> !ENVIRONMENT_CLIENT_SCOPES.contains(value)).findFirst().orElse("");
            return reject(request, Optional.of(client.environmentId()), Optional.of(clientId),
                    OAuthError.of(OAuth2Error.INVALID_SCOPE, "Scope not allowed for this client: " + refused),
                    "scope not allowed");
        }

        var token = issuer.issueClientToken(environment.get(), clientId, scopes.get(), ENVIRONMENT_TOKEN_LIFETIME);
        audit.append(issuedRecord(request, client.environmentId(), clientId, scopes.get(), token));
        return issuedResponse(token, scopes.get());
    }

    /**
     * The event-loop path (D-TP11): a {@code client_credentials} request of an environment client whose secret this
     * node verified moments ago, in an environment and with keys held in memory, is answered without a blocking
     * thread: parsed, signed on the caller's thread, and answered once its audit record is committed (the future).
     * Anything else, including every request that will be refused, gives empty, having read and written nothing;
     * the caller then runs {@link #handle} on a blocking thread, which answers and audits every case.
     */
    public Optional<CompletableFuture<WireResponse>> handleFromMemory(WireRequest request) {
        if (!"POST".equals(request.method()) || request.body().length() > MAX_BODY_CHARS
                || waitingFromMemory.get() >= MAX_WAITING_FROM_MEMORY
                || throttle.blocked(request.remoteAddress(), Optional.empty()).isPresent()) {
            return Optional.empty();
        }
        TokenRequest tokenRequest;
        try {
            tokenRequest = TokenRequest.parse(toNimbus(request));
        } catch (ParseException | IllegalStateException e) {
            return Optional.empty();
        }
        if (!(tokenRequest.getAuthorizationGrant() instanceof ClientCredentialsGrant)) {
            return Optional.empty();
        }
        String secret = presentedSecret(tokenRequest.getClientAuthentication());
        if (secret == null) {
            return Optional.empty();
        }
        String clientId = tokenRequest.getClientAuthentication().getClientID().getValue();
        if (OrganizationClientCredentials.isOrganizationClientId(clientId)
                || throttle.blocked(request.remoteAddress(), Optional.of(clientId)).isPresent()) {
            return Optional.empty();
        }
        Optional<EnvironmentClient> client = clients.remembered(clientId, secret);
        Optional<Environment> environment = client.flatMap(c -> environments.inMemoryById(c.environmentId()));
        Optional<List<String>> scopes = environmentClientScopes(tokenRequest.getScope());
        if (environment.isEmpty() || scopes.isEmpty()) {
            return Optional.empty();
        }
        return issuer.issueClientTokenFromMemory(environment.get(), clientId, scopes.get(), ENVIRONMENT_TOKEN_LIFETIME)
                .map(token -> {
                    WireResponse answer = issuedResponse(token, scopes.get());
                    waitingFromMemory.incrementAndGet();
                    return audit.appendLater(issuedRecord(request, environment.get().id(), clientId, scopes.get(), token))
                            .whenComplete((stored, failure) -> waitingFromMemory.decrementAndGet())
                            .thenApply(stored -> answer);
                });
    }

    /** The secret of {@code client_secret_basic} or {@code client_secret_post}; null for any other method or none. */
    private static String presentedSecret(ClientAuthentication authentication) {
        return switch (authentication) {
            case ClientSecretBasic basic -> basic.getClientSecret().getValue();
            case ClientSecretPost post -> post.getClientSecret().getValue();
            case null, default -> null;
        };
    }

    /** The scopes an environment client gets: {@code openid} when it asks for none; empty if one is not allowed. */
    private static Optional<List<String>> environmentClientScopes(Scope requested) {
        if (requested == null || requested.isEmpty()) {
            return Optional.of(List.of("openid"));
        }
        List<String> scopes = new ArrayList<>();
        for (Scope.Value value : requested) {
            if (!ENVIRONMENT_CLIENT_SCOPES.contains(value.getValue())) {
                return Optional.empty();
            }
            if (!scopes.contains(value.getValue())) {
                scopes.add(value.getValue());
            }
        }
        return Optional.of(List.copyOf(scopes));
    }

    private AuditRecord issuedRecord(WireRequest request, String environmentId, String clientId, List<String> scopes,
                                     AccessTokenIssuer.IssuedToken token) {
        return new AuditRecord(clock.instant(), Optional.of(environmentId), Optional.empty(),
                "oauth.token.issued", AuditRecord.Outcome.SUCCESS, Optional.of(clientId), Optional.empty(),
                Optional.ofNullable(request.remoteAddress()),
                Map.of("grant_type", "client_credentials", "scope", String.join(" ", scopes), "jti", token.tokenId()));
    }

    private static WireResponse issuedResponse(AccessTokenIssuer.IssuedToken token, List<String> scopes) {
        JSONObject json = new JSONObject();
        json.put("access_token", token.value());
        json.put("token_type", "Bearer");
        json.put("expires_in", ENVIRONMENT_TOKEN_LIFETIME.toSeconds());
        json.put("scope", String.join(" ", scopes));
        return WireResponse.noStoreJson(200, json.toJSONString(), Map.of());
    }

    private WireResponse reject(WireRequest request, Optional<String> environmentId, Optional<String> clientId,
                                OAuthError error, String reason) {
        throttle.recordFailure(request.remoteAddress(), clientId);
        Map<String, String> attributes = new HashMap<>();
        attributes.put("error", error.error().getCode());
        audit.append(new AuditRecord(clock.instant(), environmentId, Optional.empty(), "oauth.token.rejected",
                AuditRecord.Outcome.FAILURE, clientId, Optional.of(reason),
                Optional.ofNullable(request.remoteAddress()), attributes).withReasonCode(error.error().getCode()));
        return error.toResponse();
    }

    /**
     * A throttled request is refused before its client is authenticated, so its environment is the one served at the
     * address it was sent to (as for public clients in {@link UserGrants}): that puts the hit in the environment's
     * audit trail.
     */
    private WireResponse throttled(WireRequest request, Optional<String> clientId, java.time.Duration wait) {
        OAuthError error = OAuthError.throttled(wait);
        audit.append(new AuditRecord(clock.instant(), environmentAt(request), Optional.empty(), "oauth.token.rate_limited",
                AuditRecord.Outcome.FAILURE, clientId, Optional.of("too many failed token requests"),
                Optional.ofNullable(request.remoteAddress()), Map.of("error", error.error().getCode()))
                .withReasonCode("rate_limited"));
        return error.toResponse();
    }

    private Optional<String> environmentAt(WireRequest request) {
        try {
            return environments.byAuthority(UserGrants.authorityOf(request.url())).map(Environment::id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String safeDescription(ParseException e) {
        var error = e.getErrorObject();
        if (error != null && error.getDescription() != null) {
            return error.getDescription();
        }
        return "Malformed token request";
    }

    private static HTTPRequest toNimbus(WireRequest request) {
        try {
            HTTPRequest http = new HTTPRequest(HTTPRequest.Method.POST, URI.create(request.url()).toURL());
            request.header("content-type").ifPresent(value -> http.setHeader("Content-Type", value));
            request.header("authorization").ifPresent(value -> http.setHeader("Authorization", value));
            http.setBody(request.body());
            return http;
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("request URL is not a URL: " + request.url(), e);
        }
    }
}
