package dev.gatehouse.core.shared;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues the wire IDs of every resource: a type prefix plus a time-ordered decimal number,
 * as in {@code org_59615193906282635}.
 *
 * <p>The number is {@code (millis since 2024-01-01) << 18 | node << 12 | sequence}: 64 nodes,
 * 4,096 IDs per millisecond per node (a burst borrows the next millisecond), and 17 decimal
 * digits from March 2025 until about 2036 (18 after that: see docs/DECISIONS.md D9). IDs of one node
 * are strictly increasing; IDs of different nodes are ordered by their millisecond.
 */
public final class IdGenerator {
    private static final long EPOCH_MILLIS = 1_704_067_200_000L; // 2024-01-01T00:00:00Z
    private static final int NODE_BITS = 6;
    private static final int SEQUENCE_BITS = 12;
    private static final long MAX_NODE = (1L << NODE_BITS) - 1;
    private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;

    private final Clock clock;
    private final long node;
    private final AtomicLong last = new AtomicLong();

    public IdGenerator(Clock clock, int node) {
        if (node < 0 || node > MAX_NODE) {
            throw new IllegalArgumentException("node must be between 0 and " + MAX_NODE);
        }
        this.clock = clock;
        this.node = node;
    }

    /** Returns {@code prefix + "_" + number}. */
    public String next(IdPrefix prefix) {
        return prefix.wire() + nextNumber();
    }

    long nextNumber() {
        while (true) {
            long previous = last.get();
            long millis = clock.millis() - EPOCH_MILLIS;
            long candidate = (millis << (NODE_BITS + SEQUENCE_BITS)) | (node << SEQUENCE_BITS);
            if (candidate <= previous) {
                // Same millisecond (or the clock stepped back): continue from the last value, and when
                // this millisecond's 4,096 sequence numbers are used up, borrow the next millisecond
                // rather than spilling into the node bits (which would collide with another node's IDs).
                candidate = previous + 1;
                if ((candidate & SEQUENCE_MASK) == 0) {
                    long nextMillis = (previous >>> (NODE_BITS + SEQUENCE_BITS)) + 1;
                    candidate = (nextMillis << (NODE_BITS + SEQUENCE_BITS)) | (node << SEQUENCE_BITS);
                }
            }
            if (last.compareAndSet(previous, candidate)) {
                return candidate;
            }
        }
    }
}
