package dev.gatehouse.http.oauth;

import dev.gatehouse.core.simulator.IdpSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The IdP simulator's "session" in one browser after its "IdP initiated SSO" scenario (docs/DECISIONS.md D-SIM6): a
 * real IdP that started a login has signed the user in, so the SP-initiated login the app starts next completes
 * without a form. Kept in a cookie scoped to the connection's simulator path, used once, living as long as the
 * hand-off token. It only remembers what the tester typed: using it runs the same checks as the "Sign in" form
 * ({@link IdpSimulator#signIn}), so a value edited by hand can do nothing the form cannot.
 */
record SimulatedIdpSession(String email, String givenName, String familyName, Instant expiresAt) {
    static final String COOKIE = "gatehouse_simulator";
    /** Far above what the form accepts (320-character address, two 100-character names, base64). */
    static final int MAX_COOKIE_LENGTH = 2048;

    String encode() {
        return part(email) + "." + part(givenName) + "." + part(familyName) + "." + expiresAt.getEpochSecond();
    }

    /** The session in {@code value}, if it is well formed and not expired at {@code now}. */
    static Optional<SimulatedIdpSession> decode(String value, Instant now) {
        if (value == null || value.length() > MAX_COOKIE_LENGTH) {
            return Optional.empty();
        }
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        try {
            Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(parts[3]));
            if (!expiresAt.isAfter(now)) {
                return Optional.empty();
            }
            return Optional.of(new SimulatedIdpSession(text(parts[0]), text(parts[1]), text(parts[2]), expiresAt));
        } catch (IllegalArgumentException | java.time.DateTimeException malformed) {
            return Optional.empty();
        }
    }

    /** Whether this session is for the user the login names ({@code login_hint}, case-insensitive). */
    boolean isFor(Optional<String> loginHint) {
        return loginHint.map(String::strip).filter(hint -> hint.equalsIgnoreCase(email)).isPresent();
    }

    IdpSimulator.SimulatedUser user() {
        return new IdpSimulator.SimulatedUser(email, givenName, familyName);
    }

    private static String part(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
