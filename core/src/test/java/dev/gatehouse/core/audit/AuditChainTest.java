package dev.gatehouse.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The chain's hashing rules: deterministic, sensitive to every field and to the key, stable under normalization. */
class AuditChainTest {
    private static final AuditChain CHAIN = AuditChain.keyedBy(new byte[32]);
    private static final AuditRecord RECORD = new AuditRecord(Instant.parse("2026-01-02T03:04:05.123456789Z"),
            Optional.of("env_1"), Optional.of("org_1"), "management.update_user", AuditRecord.Outcome.SUCCESS,
            Optional.of("skc_1"), Optional.empty(), Optional.of("203.0.113.1"), Map.of("b", "2", "a", "1"))
            .withTarget("usr_1").withChange(Optional.of("{\"x\":1}"), Optional.of("{\"x\":2}"));

    private static String hash(AuditRecord record) {
        return CHAIN.hash("aud_1", 7, AuditChain.GENESIS, AuditChain.normalize(record));
    }

    @Test
    void sameRecordSameHashWhateverTheAttributeOrderAndSubMicrosecondTime() {
        AuditRecord reordered = new AuditRecord(RECORD.time().plusNanos(1), RECORD.environmentId(), RECORD.organizationId(),
                RECORD.type(), RECORD.outcome(), RECORD.actor(), RECORD.reason(), RECORD.remoteAddress(),
                new java.util.TreeMap<>(Map.of("a", "1", "b", "2")), RECORD.reasonCode(), RECORD.target(),
                RECORD.before(), RECORD.after());

        assertThat(hash(reordered)).isEqualTo(hash(RECORD)).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(AuditChain.normalize(AuditChain.normalize(RECORD))).isEqualTo(AuditChain.normalize(RECORD));
    }

    @Test
    void everyFieldThePositionAndTheKeyChangeTheHash() {
        String original = hash(RECORD);
        assertThat(hash(RECORD.withTarget("usr_2"))).isNotEqualTo(original);
        assertThat(hash(RECORD.withReasonCode("NOT_FOUND"))).isNotEqualTo(original);
        assertThat(hash(RECORD.withChange(Optional.of("{\"x\":1}"), Optional.of("{\"x\":3}")))).isNotEqualTo(original);
        assertThat(hash(new AuditRecord(RECORD.time(), Optional.of("env_2"), RECORD.organizationId(), RECORD.type(),
                RECORD.outcome(), RECORD.actor(), RECORD.reason(), RECORD.remoteAddress(), RECORD.attributes())
                .withTarget("usr_1").withChange(RECORD.before(), RECORD.after()))).isNotEqualTo(original);
        AuditRecord normalized = AuditChain.normalize(RECORD);
        assertThat(CHAIN.hash("aud_1", 8, AuditChain.GENESIS, normalized)).isNotEqualTo(original);
        assertThat(CHAIN.hash("aud_2", 7, AuditChain.GENESIS, normalized)).isNotEqualTo(original);
        assertThat(CHAIN.hash("aud_1", 7, "1".repeat(64), normalized)).isNotEqualTo(original);
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        assertThat(AuditChain.keyedBy(otherKey).hash("aud_1", 7, AuditChain.GENESIS, normalized)).isNotEqualTo(original);
    }

    @Test
    void canonicalFormNamesEveryFieldInAFixedOrder() {
        String canonical = AuditChain.canonical("aud_1", 7, AuditChain.GENESIS, AuditChain.normalize(RECORD));

        assertThat(canonical).startsWith("{\"v\":\"gatehouse-audit-v1\",\"environment_id\":\"env_1\",\"sequence\":7,")
                .contains("\"time\":\"2026-01-02T03:04:05.123456Z\"", "\"attributes\":{\"a\":\"1\",\"b\":\"2\"}",
                        "\"before\":\"{\\\"x\\\":1}\"", "\"reason\":null");
    }

    @Test
    void normalizationKeepsWhatTheDatabaseKeeps() {
        AuditRecord hostile = new AuditRecord(RECORD.time(), RECORD.environmentId(), RECORD.organizationId(),
                "t".repeat(200), AuditRecord.Outcome.FAILURE, Optional.of("a\0b" + "😀".repeat(200)), Optional.empty(),
                Optional.empty(), Map.of("big", "v".repeat(5000)));

        AuditRecord normalized = AuditChain.normalize(hostile);

        assertThat(normalized.type()).hasSize(AuditChain.TYPE_MAX);
        assertThat(normalized.actor().orElseThrow()).doesNotContain("\0").startsWith("a\uFFFDb")
                .hasSizeLessThanOrEqualTo(AuditChain.ACTOR_MAX);
        assertThat(Character.isHighSurrogate(normalized.actor().orElseThrow().charAt(normalized.actor().orElseThrow().length() - 1)))
                .isFalse();
        assertThat(normalized.attributes()).containsOnlyKeys("truncated");
    }
}
