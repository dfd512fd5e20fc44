package dev.gatehouse.oauth.endpoint;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.client.AppClient;
import dev.gatehouse.core.client.AppClientDirectory;
import dev.gatehouse.core.credential.SecretHash;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.login.ClientRedirect;
import dev.gatehouse.core.login.GrantRepository;
import dev.gatehouse.core.login.Session;
import dev.gatehouse.core.login.SessionRepository;
import dev.gatehouse.oauth.key.KeyRing;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RP-initiated logout ({@code /oidc/logout}, alias {@code /end_session}): ends the browser's session and every grant
 * issued in it, then returns to a registered {@code post_logout_redirect_uri} with {@code state}, or shows a page.
 * {@code id_token_hint} must be an ID token this environment signed (an expired one is accepted, as OIDC RP-Initiated
 * Logout allows); it names the client and the session.
 */
public final class LogoutEndpoint {
    static final int MAX_PARAMETER = 8192;

    private final KeyRing keyRing;
    private final AppClientDirectory clients;
    private final SessionRepository sessions;
    private final GrantRepository grants;
    private final AuditTrail audit;
    private final Clock clock;

    public LogoutEndpoint(KeyRing keyRing, AppClientDirectory clients, SessionRepository sessions, GrantRepository grants,
                          AuditTrail audit, Clock clock) {
        this.keyRing = keyRing;
        this.clients = clients;
        this.sessions = sessions;
        this.grants = grants;
        this.audit = audit;
        this.clock = clock;
    }

    public sealed interface Outcome {
        /** Signed out; go to the registered URI. The session cookie must be cleared. */
        record Redirect(String url) implements Outcome {}

        /** Signed out, nowhere to go: show a page. The session cookie must be cleared. */
        record SignedOut() implements Outcome {}

        /** The request is not acceptable (bad hint, unregistered URI): an error page, nothing ended. */
        record Refused(String message) implements Outcome {}
    }

    public Outcome handle(Environment environment, Map<String, List<String>> parameters, Optional<String> sessionCookie,
                          String remoteAddress) {
        for (List<String> values : parameters.values()) {
            if (values.size() > 1 || values.getFirst().length() > MAX_PARAMETER) {
                return refuse(environment, remoteAddress, "repeated or oversized parameter",
                        "The sign-out request is malformed.");
            }
        }
        Optional<String> hint = first(parameters, "id_token_hint");
        Optional<String> postLogout = first(parameters, "post_logout_redirect_uri");
        Optional<String> state = first(parameters, "state");
        Optional<String> clientId = first(parameters, "client_id");
        Optional<JWTClaimsSet> hinted = Optional.empty();
        if (hint.isPresent()) {
            hinted = verifyHint(environment, hint.get());
            if (hinted.isEmpty()) {
                return refuse(environment, remoteAddress, "id_token_hint not issued by this environment",
                        "The sign-out request carries an ID token this server did not issue.");
            }
            List<String> audience = hinted.get().getAudience();
            if (clientId.isPresent() && (audience == null || !audience.contains(clientId.get()))) {
                return refuse(environment, remoteAddress, "client_id does not match id_token_hint",
                        "The sign-out request names two different clients.");
            }
            if (clientId.isEmpty() && audience != null && !audience.isEmpty()) {
                clientId = Optional.of(audience.getFirst());
            }
        }
        if (postLogout.isPresent()) {
            Optional<AppClient> client = clientId.flatMap(id -> clients.find(environment.id(), id));
            if (client.isEmpty() || !client.get().acceptsPostLogoutRedirectUri(postLogout.get())) {
                return refuse(environment, remoteAddress, "post_logout_redirect_uri not registered: " + postLogout.get(),
                        "The post_logout_redirect_uri is not registered for this client.");
            }
        }
        Instant now = clock.instant();
        Optional<Session> session = sessionCookie.flatMap(c -> sessions.findByCookieHash(SecretHash.of(c).hex()))
                .filter(s -> s.environmentId().equals(environment.id()));
        Optional<String> hintedSession = hinted.map(c -> (String) c.getClaim("sid"));
        if (session.isEmpty() && hintedSession.isPresent()) {
            session = sessions.find(environment.id(), hintedSession.get());
        }
        session.ifPresent(s -> {
            sessions.revoke(environment.id(), s.id(), now, "logout");
            grants.revokeGrantsOfSession(environment.id(), s.id(), now, "logout");
            audit.append(new AuditRecord(now, Optional.of(environment.id()), s.organizationId(), "session.logout",
                    AuditRecord.Outcome.SUCCESS, Optional.of(s.userId()), Optional.empty(),
                    Optional.ofNullable(remoteAddress), Map.of("session_id", s.id())));
        });
        if (postLogout.isPresent()) {
            Map<String, String> query = new LinkedHashMap<>();
            state.ifPresent(s -> query.put("state", s));
            return new Outcome.Redirect(new ClientRedirect(postLogout.get(), query).toUrl());
        }
        return new Outcome.SignedOut();
    }

    private Optional<JWTClaimsSet> verifyHint(Environment environment, String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
                return Optional.empty();
            }
            String kid = jwt.getHeader().getKeyID();
            RSAPublicKey key = kid == null ? null : keyRing.keys(environment.id()).verificationKeys().get(kid);
            if (key == null || !jwt.verify(new RSASSAVerifier(key))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            return environment.issuerUrl().equals(claims.getIssuer()) ? Optional.of(claims) : Optional.empty();
        } catch (ParseException | JOSEException | ClassCastException e) {
            return Optional.empty();
        }
    }

    private Outcome refuse(Environment environment, String remoteAddress, String reason, String message) {
        audit.append(new AuditRecord(clock.instant(), Optional.of(environment.id()), Optional.empty(),
                "session.logout.rejected", AuditRecord.Outcome.FAILURE, Optional.empty(), Optional.of(reason),
                Optional.ofNullable(remoteAddress), Map.of()));
        return new Outcome.Refused(message);
    }

    private static Optional<String> first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() || values.getFirst().isEmpty()
                ? Optional.empty() : Optional.of(values.getFirst());
    }
}
