package dev.gatehouse.core.connection;

import dev.gatehouse.core.login.ConnectionTestRecorder;
import dev.gatehouse.core.login.FederatedIdentity;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The results of connection tests (D-CT1): a test is recorded as pending when the admin portal prepares it, completed
 * when the identity provider's answer was verified or refused, and read back by
 * {@code ConnectionService.GetConnectionTestResult}. A result is kept for {@link #RETENTION}, then purged.
 */
public final class ConnectionTests implements ConnectionTestRecorder {
    public static final Duration RETENTION = Duration.ofDays(1);

    private final ConnectionTestRepository tests;
    private final IdGenerator ids;
    private final Clock clock;

    public ConnectionTests(ConnectionTestRepository tests, IdGenerator ids, Clock clock) {
        this.tests = tests;
        this.ids = ids;
        this.clock = clock;
    }

    /** A new pending test of {@code connectionId}, run by the login {@code loginId}; returns its {@code test_…} ID. */
    @Override
    public String started(String environmentId, Optional<String> organizationId, String connectionId, String loginId) {
        Instant now = clock.instant();
        String id = ids.next(IdPrefix.CONNECTION_TEST);
        tests.insert(new ConnectionTest(id, environmentId, organizationId, connectionId, loginId,
                ConnectionTestStatus.PENDING, Map.of(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                now, now, now.plus(RETENTION)));
        return id;
    }

    /** The identity provider vouched for {@code identity} in the test run by {@code loginId}. */
    @Override
    public void succeeded(String environmentId, String loginId, FederatedIdentity identity) {
        tests.findByLogin(environmentId, loginId).ifPresent(test -> tests.complete(new ConnectionTest(test.id(),
                test.environmentId(), test.organizationId(), test.connectionId(), test.loginId(),
                ConnectionTestStatus.SUCCESS, profileOf(identity), identity.rawAttributes(), Optional.empty(),
                Optional.empty(), Optional.empty(), test.createTime(), clock.instant(), test.expireTime())));
    }

    /** The test run by {@code loginId} failed with the seed's {@code error}; {@code details} is for the admin. */
    @Override
    public void failed(String environmentId, String loginId, String error, String description, String details) {
        tests.findByLogin(environmentId, loginId).ifPresent(test -> tests.complete(new ConnectionTest(test.id(),
                test.environmentId(), test.organizationId(), test.connectionId(), test.loginId(),
                ConnectionTestStatus.FAILURE, Map.of(), Map.of(), Optional.of(error), Optional.of(description),
                Optional.of(details), test.createTime(), clock.instant(), test.expireTime())));
    }

    /** The test {@code testId} of {@code connectionId} in the environment; NotFound when unknown or purged. */
    public ConnectionTest result(String environmentId, String connectionId, String testId) {
        return tests.find(environmentId, connectionId, testId)
                .filter(test -> test.expireTime().isAfter(clock.instant()))
                .orElseThrow(() -> new DomainException.NotFound("connection test " + testId + " not found"));
    }

    public int purgeExpired() {
        return tests.deleteExpiredBefore(clock.instant());
    }

    /** The normalized profile (spec-sso §2.3) under the claim names an app sees, and the custom attributes. */
    static Map<String, String> profileOf(FederatedIdentity identity) {
        Map<String, String> profile = new LinkedHashMap<>();
        profile.put("sub", identity.subject());
        profile.put("email", identity.email());
        profile.put("email_verified", Boolean.toString(identity.emailVerified()));
        identity.givenName().ifPresent(v -> profile.put("given_name", v));
        identity.familyName().ifPresent(v -> profile.put("family_name", v));
        identity.name().ifPresent(v -> profile.put("name", v));
        identity.locale().ifPresent(v -> profile.put("locale", v));
        identity.picture().ifPresent(v -> profile.put("picture", v));
        profile.put("connection_id", identity.connectionId());
        identity.organizationId().ifPresent(v -> profile.put("organization_id", v));
        profile.put("connection_type", identity.connectionType());
        profile.put("provider_name", identity.providerName());
        // The connection's mapped custom attributes (D-PR2), as the seed's "Test connection" shows employee_number.
        identity.customAttributes().forEach(profile::putIfAbsent);
        return profile;
    }
}
