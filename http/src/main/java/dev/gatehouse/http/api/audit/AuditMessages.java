package dev.gatehouse.http.api.audit;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.StoredAuditRecord;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.http.api.PageTokens;
import dev.gatehouse.http.api.RpcErrors;
import java.time.Instant;
import java.util.Optional;

/** Translates audit records into the protos of both audit APIs, and their common request parts. */
final class AuditMessages {
    static final int DEFAULT_PAGE_SIZE = 10;
    static final int MAX_PAGE_SIZE = 100;
    static final int MAX_FILTER_LENGTH = 255;

    private AuditMessages() {}

    /** D6 paging: 0 means 10, more than 100 is lowered to 100. */
    static PageRequest page(int wireSize, String token) {
        long requested = Integer.toUnsignedLong(wireSize);
        int size = requested == 0 ? DEFAULT_PAGE_SIZE : (int) Math.min(requested, MAX_PAGE_SIZE);
        return new PageRequest(size, PageTokens.decode(token));
    }

    static Optional<Instant> instant(boolean present, Timestamp timestamp, String field) {
        if (!present) {
            return Optional.empty();
        }
        if (timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999) {
            throw RpcErrors.invalidArgument(field, field + " is not a valid timestamp", "timestamp");
        }
        return Optional.of(Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()));
    }

    /** A free-text filter: empty means absent; longer than 255 characters is refused. */
    static Optional<String> filter(String value, String field) {
        if (value.length() > MAX_FILTER_LENGTH) {
            throw RpcErrors.invalidArgument(field, field + " must be at most " + MAX_FILTER_LENGTH + " characters",
                    "string.max_len");
        }
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    static AuditRecord.Outcome outcome(String value, String field) {
        return switch (value.strip().toUpperCase(java.util.Locale.ROOT)) {
            case "SUCCESS", "SUCCEEDED", "SUCCESSFUL" -> AuditRecord.Outcome.SUCCESS;
            case "FAILURE", "FAILED", "FAIL" -> AuditRecord.Outcome.FAILURE;
            default -> throw RpcErrors.invalidArgument(field, field + " must be SUCCESS or FAILURE", "enum.defined_only");
        };
    }

    static dev.gatehouse.proto.audit.AuditRecord toProto(StoredAuditRecord stored) {
        AuditRecord r = stored.record();
        var builder = dev.gatehouse.proto.audit.AuditRecord.newBuilder()
                .setId(stored.id())
                .setSequence(stored.sequence())
                .setTime(timestamp(r.time()))
                .setType(r.type())
                .setOutcome(r.outcome().name())
                .putAllAttributes(r.attributes());
        r.environmentId().ifPresent(builder::setEnvironmentId);
        r.organizationId().ifPresent(builder::setOrganizationId);
        r.actor().ifPresent(builder::setActor);
        r.target().ifPresent(builder::setTarget);
        r.reasonCode().ifPresent(builder::setReasonCode);
        r.reason().ifPresent(builder::setReason);
        r.remoteAddress().ifPresent(builder::setIp);
        r.before().ifPresent(json -> builder.setBefore(struct(json)));
        r.after().ifPresent(json -> builder.setAfter(struct(json)));
        stored.previousHash().ifPresent(builder::setPreviousHash);
        stored.hash().ifPresent(builder::setHash);
        return builder.build();
    }

    /** A stored JSON object as a Struct; anything else (it should not happen) wrapped as {@code {"json": "…"}}. */
    static Struct struct(String json) {
        Struct.Builder struct = Struct.newBuilder();
        try {
            JsonFormat.parser().merge(json, struct);
            return struct.build();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return Struct.newBuilder().putFields("json",
                    com.google.protobuf.Value.newBuilder().setStringValue(json).build()).build();
        }
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
