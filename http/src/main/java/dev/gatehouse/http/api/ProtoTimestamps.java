package dev.gatehouse.http.api;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** {@link Instant} ⇄ {@code google.protobuf.Timestamp}. */
public final class ProtoTimestamps {
    private ProtoTimestamps() {}

    public static Timestamp of(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    public static Instant toInstant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
