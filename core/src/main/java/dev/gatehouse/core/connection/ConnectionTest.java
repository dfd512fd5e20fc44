package dev.gatehouse.core.connection;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A test sign-in through a connection, started from the admin portal (docs/DECISIONS.md D-AP4, D-CT1): pending while
 * the tester is at the identity provider, then what the provider vouched for ({@code profile}: the normalized
 * profile, {@code rawAttributes}: what it sent) or why it failed ({@code error}: a seed code, {@code errorDescription}:
 * the text the app would see, {@code errorDetails}: the reason an admin needs to fix the connection).
 */
public record ConnectionTest(
        String id,
        String environmentId,
        Optional<String> organizationId,
        String connectionId,
        String loginId,
        ConnectionTestStatus status,
        Map<String, String> profile,
        Map<String, String> rawAttributes,
        Optional<String> error,
        Optional<String> errorDescription,
        Optional<String> errorDetails,
        Instant createTime,
        Instant updateTime,
        Instant expireTime) {

    public ConnectionTest {
        profile = Map.copyOf(profile);
        rawAttributes = Map.copyOf(rawAttributes);
    }
}
