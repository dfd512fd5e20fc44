package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.environment.Environment;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The audit trail against a real database. */
class JdbiAuditTrailTest {
    private static AuditRecord record(Instant time, String environmentId, String type, String actor) {
        return new AuditRecord(time, Optional.of(environmentId), Optional.empty(), type, AuditRecord.Outcome.SUCCESS,
                Optional.of(actor), Optional.empty(), Optional.empty(), Map.of());
    }

    @EachDatabase
    void appendWhenAllFieldsSetThenRecentReturnsThemUnchanged(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            AuditRecord written = new AuditRecord(f.clock.instant().truncatedTo(ChronoUnit.MICROS), Optional.of(env.id()),
                    Optional.of("org_12345678901234567"), "token.issue", AuditRecord.Outcome.FAILURE,
                    Optional.of("skc_1"), Optional.of("secret does not match"), Optional.of("203.0.113.9"),
                    Map.of("grant_type", "client_credentials", "scope", "openid \"quoted\" ü"));

            f.audit.append(written);

            assertThat(f.audit.recent(env.id(), Optional.empty(), Instant.EPOCH, 10)).containsExactly(written);
        }
    }

    @EachDatabase
    void appendLaterWhenFutureCompletesThenRecordStored(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            AuditRecord written = record(f.clock.instant().truncatedTo(ChronoUnit.MICROS), env.id(), "oauth.token.issued",
                    "skc_1");

            f.audit.appendLater(written).join();

            assertThat(f.audit.recent(env.id(), Optional.empty(), Instant.EPOCH, 10)).containsExactly(written);
        }
    }

    @EachDatabase
    void recentWhenTypeGivenThenOnlyRecordsOfThatType(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Instant t = f.clock.instant().truncatedTo(ChronoUnit.MICROS);
            f.audit.append(record(t, env.id(), "token.issue", "a"));
            f.audit.append(record(t.plusSeconds(1), env.id(), "organization.create", "b"));
            f.audit.append(record(t.plusSeconds(2), env.id(), "token.issue", "c"));
            f.audit.append(record(t.plusSeconds(3), env.id(), "token.issue.denied", "d"));

            List<AuditRecord> tokens = f.audit.recent(env.id(), Optional.of("token.issue"), Instant.EPOCH, 10);

            assertThat(tokens).extracting(r -> r.actor().orElseThrow()).containsExactly("c", "a");
            assertThat(tokens).extracting(AuditRecord::type).containsOnly("token.issue");
            assertThat(f.audit.recent(env.id(), Optional.of("user.login"), Instant.EPOCH, 10)).isEmpty();
        }
    }

    @EachDatabase
    void recentWhenSeveralRecordsThenNewestFirstAndLimitHonoured(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            for (int i = 0; i < 7; i++) {
                f.clock.advance(Duration.ofSeconds(1));
                f.audit.append(record(f.clock.instant().truncatedTo(ChronoUnit.MICROS), env.id(), "token.issue", "actor" + i));
            }

            List<AuditRecord> newestThree = f.audit.recent(env.id(), Optional.empty(), Instant.EPOCH, 3);
            List<AuditRecord> all = f.audit.recent(env.id(), Optional.empty(), Instant.EPOCH, 100);
            List<AuditRecord> one = f.audit.recent(env.id(), Optional.of("token.issue"), Instant.EPOCH, 1);

            assertThat(newestThree).extracting(r -> r.actor().orElseThrow()).containsExactly("actor6", "actor5", "actor4");
            assertThat(all).hasSize(7);
            assertThat(all).extracting(AuditRecord::time).isSortedAccordingTo(java.util.Comparator.reverseOrder());
            assertThat(one).extracting(r -> r.actor().orElseThrow()).containsExactly("actor6");
        }
    }

    @EachDatabase
    void recentWhenSinceGivenThenOlderRecordsExcluded(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Instant t = Instant.parse("2025-06-01T00:00:00Z");
            f.audit.append(record(t.minusSeconds(1), env.id(), "token.issue", "before"));
            f.audit.append(record(t, env.id(), "token.issue", "at"));
            f.audit.append(record(t.plusSeconds(1), env.id(), "token.issue", "after"));

            assertThat(f.audit.recent(env.id(), Optional.empty(), t, 10))
                    .extracting(r -> r.actor().orElseThrow()).containsExactly("after", "at");
            assertThat(f.audit.recent(env.id(), Optional.empty(), t.plusSeconds(2), 10)).isEmpty();
        }
    }

    @EachDatabase
    void appendWhenFreeTextTooLongThenTruncatedToColumnSizes(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            f.audit.append(new AuditRecord(f.clock.instant(), Optional.of(env.id()), Optional.empty(), "token.issue",
                    AuditRecord.Outcome.FAILURE, Optional.of("a".repeat(300)), Optional.of("r".repeat(1500)),
                    Optional.of("1".repeat(100)), Map.of()));

            AuditRecord read = f.audit.recent(env.id(), Optional.empty(), Instant.EPOCH, 1).getFirst();

            assertThat(read.actor()).contains("a".repeat(255));
            assertThat(read.reason()).contains("r".repeat(1000));
            assertThat(read.remoteAddress()).contains("1".repeat(64));
        }
    }
}
