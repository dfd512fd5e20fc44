package dev.gatehouse.core.audit;

import dev.gatehouse.core.event.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hashing rules of the audit chain (docs/DECISIONS.md D-A1). Each record's hash is
 * HMAC-SHA256 over a canonical JSON serialization of the record as stored, its chain (environment),
 * its sequence number and the hash of the record before it, so editing, deleting or reordering a row
 * breaks the chain from that row on. The HMAC key is derived from the master key: someone who can
 * write to the database but does not hold the master key cannot recompute the chain after an edit.
 *
 * <p>Records are first {@link #normalize normalized} to exactly what the database keeps (column
 * sizes, microsecond times, no NUL characters), so hashing at append time and at verification time
 * sees the same values.
 */
public final class AuditChain {
    /** The previous hash of a chain's first hashed record. */
    public static final String GENESIS = "0".repeat(64);
    static final String VERSION = "gatehouse-audit-v1";

    public static final int TYPE_MAX = 100;
    public static final int ID_MAX = 32;
    public static final int ACTOR_MAX = 255;
    public static final int TARGET_MAX = 255;
    public static final int REASON_MAX = 1000;
    public static final int REASON_CODE_MAX = 100;
    public static final int REMOTE_ADDRESS_MAX = 64;
    public static final int ATTRIBUTES_MAX = 4000;
    public static final int STATE_MAX = 100_000;

    /** One HmacSHA256 instance per thread: looking the algorithm up costs more than the HMAC of a record. */
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    });

    private final SecretKeySpec key;

    private AuditChain(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** The chain whose HMAC key is derived from the master key (HMAC-SHA256(master key, label)). */
    public static AuditChain keyedBy(byte[] masterKey) {
        return new AuditChain(hmac(new SecretKeySpec(masterKey.clone(), "HmacSHA256"),
                "gatehouse audit chain key v1".getBytes(StandardCharsets.UTF_8)));
    }

    /** The record exactly as the store keeps it: truncated to the column sizes, times in microseconds. */
    public static AuditRecord normalize(AuditRecord record) {
        Map<String, String> cleaned = new TreeMap<>();
        record.attributes().forEach((k, v) -> cleaned.put(clean(k), clean(v)));
        Map<String, String> attributes = fitsColumn(cleaned) ? cleaned
                : Map.of("truncated", "attributes over " + ATTRIBUTES_MAX + " characters were dropped");
        return new AuditRecord(
                record.time().truncatedTo(ChronoUnit.MICROS),
                limit(record.environmentId(), ID_MAX),
                limit(record.organizationId(), ID_MAX),
                truncate(clean(record.type()), TYPE_MAX),
                record.outcome(),
                limit(record.actor(), ACTOR_MAX),
                limit(record.reason(), REASON_MAX),
                limit(record.remoteAddress(), REMOTE_ADDRESS_MAX),
                attributes,
                limit(record.reasonCode(), REASON_CODE_MAX),
                limit(record.target(), TARGET_MAX),
                state(record.before()),
                state(record.after()));
    }

    /** The stored form of the attributes: a JSON object with keys in order. */
    public static String attributesJson(Map<String, String> attributes) {
        return Json.value(new TreeMap<>(attributes));
    }

    /** The hash (HMAC) of a normalized record at {@code sequence} of its environment's chain, after {@code previousHash}. */
    public String hash(String recordId, long sequence, String previousHash, AuditRecord normalized) {
        return hash(recordId, sequence, previousHash, normalized, attributesJson(normalized.attributes()));
    }

    /** {@link #hash} when the caller already holds the record's {@link #attributesJson attributes JSON}. */
    public String hash(String recordId, long sequence, String previousHash, AuditRecord normalized,
                       String attributesJson) {
        return HexFormat.of().formatHex(hmac(key,
                canonical(recordId, sequence, previousHash, normalized, attributesJson).getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] hmac(SecretKeySpec key, byte[] message) {
        try {
            Mac mac = MACS.get();
            mac.init(key);
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    static String canonical(String recordId, long sequence, String previousHash, AuditRecord r) {
        return canonical(recordId, sequence, previousHash, r, attributesJson(r.attributes()));
    }

    private static String canonical(String recordId, long sequence, String previousHash, AuditRecord r,
                                    String attributesJson) {
        return new Json.ObjectWriter()
                .put("v", VERSION)
                .put("environment_id", r.environmentId().orElse(""))
                .put("sequence", sequence)
                .put("previous_hash", previousHash)
                .put("id", recordId)
                .put("time", r.time().toString())
                .put("organization_id", r.organizationId().orElse(null))
                .put("type", r.type())
                .put("outcome", r.outcome().name())
                .put("actor", r.actor().orElse(null))
                .put("target", r.target().orElse(null))
                .put("reason_code", r.reasonCode().orElse(null))
                .put("reason", r.reason().orElse(null))
                .put("remote_address", r.remoteAddress().orElse(null))
                .putRaw("attributes", attributesJson)
                .put("before", r.before().orElse(null))
                .put("after", r.after().orElse(null))
                .toString();
    }

    private static Optional<String> state(Optional<String> json) {
        return json.map(AuditChain::clean)
                .map(s -> s.length() <= STATE_MAX ? s : "{\"truncated\":true,\"length\":" + s.length() + "}");
    }

    private static Optional<String> limit(Optional<String> value, int max) {
        return value.map(v -> truncate(clean(v), max));
    }

    private static String truncate(String value, int max) {
        if (value.length() <= max) {
            return value;
        }
        // Never cut a surrogate pair in half.
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, end);
    }

    /** Whether the attributes' JSON fits its column; serialized only when escaping could make it too long. */
    private static boolean fitsColumn(Map<String, String> attributes) {
        long worst = 2;
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            // A character escapes to at most six (a u-escape); quotes, colon and comma add six per entry.
            worst += 6L * (e.getKey().length() + e.getValue().length()) + 6;
        }
        return worst <= ATTRIBUTES_MAX || attributesJson(attributes).length() <= ATTRIBUTES_MAX;
    }

    /** What the databases can store and give back unchanged: no NUL, no lone surrogates. */
    private static String clean(String value) {
        boolean plain = true;
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c != '\0' && !Character.isSurrogate(c);
        }
        if (plain) {
            return value; // nothing a UTF-8 round trip could change
        }
        String roundTripped = new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        return roundTripped.indexOf('\0') < 0 ? roundTripped : roundTripped.replace('\0', '\uFFFD');
    }
}
