package dev.gatehouse.core.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdGeneratorTest {
    private static final Instant ID_EPOCH = Instant.parse("2024-01-01T00:00:00Z");
    private static final String SEVENTEEN_DIGITS = "\\d{17}";

    @ParameterizedTest
    @EnumSource(IdPrefix.class)
    void nextWhenSystemClockTodayThenPrefixFollowedBySeventeenDigits(IdPrefix prefix) {
        IdGenerator ids = new IdGenerator(Clock.systemUTC(), 7);

        String id = ids.next(prefix);

        assertThat(id).startsWith(prefix.wire());
        assertThat(id.substring(prefix.wire().length())).matches(SEVENTEEN_DIGITS);
        assertThat(prefix.matches(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-03-18T00:00:00Z", "2025-06-15T12:34:56.789Z", "2030-12-31T23:59:59.999Z", "2036-01-01T00:00:00Z"})
    void nextWhenClockWithinDesignRangeThenSeventeenDigits(String instant) {
        IdGenerator ids = new IdGenerator(Clock.fixed(Instant.parse(instant), ZoneOffset.UTC), 63);

        assertThat(number(ids.next(IdPrefix.ORGANIZATION), IdPrefix.ORGANIZATION)).hasSize(17);
    }

    @Test
    void nextNumberWhenClockFixedThenEncodesMillisNodeAndSequence() {
        Instant at = ID_EPOCH.plusMillis(1_000);
        IdGenerator ids = new IdGenerator(Clock.fixed(at, ZoneOffset.UTC), 5);

        long first = ids.nextNumber();
        long second = ids.nextNumber();

        assertThat(first).isEqualTo((1_000L << 18) | (5L << 12));
        assertThat(first >>> 18).isEqualTo(1_000L);
        assertThat((first >>> 12) & 0x3F).isEqualTo(5L);
        assertThat(second).isEqualTo(first + 1);
    }

    @Test
    void nextWhenClockAdvancesThenNumberReflectsTheNewMillisecond() {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        IdGenerator ids = new IdGenerator(clock, 0);
        long before = ids.nextNumber();
        ids.nextNumber();

        clock.advance(Duration.ofMillis(3));
        long after = ids.nextNumber();

        assertThat((after >>> 18) - (before >>> 18)).isEqualTo(3);
        assertThat(after & 0xFFF).isZero();
    }

    @Test
    void nextWhenCalledManyTimesThenStrictlyIncreasingAsNumbersAndAsStrings() {
        IdGenerator ids = new IdGenerator(Clock.systemUTC(), 3);
        String previous = ids.next(IdPrefix.ORGANIZATION);

        for (int i = 0; i < 200_000; i++) {
            String next = ids.next(IdPrefix.ORGANIZATION);
            // Keyset paging orders the varchar id column, so string order must agree with number order.
            assertThat(next).isGreaterThan(previous);
            assertThat(Long.parseLong(number(next, IdPrefix.ORGANIZATION)))
                    .isGreaterThan(Long.parseLong(number(previous, IdPrefix.ORGANIZATION)));
            previous = next;
        }
    }

    @Test
    void nextWhenClockStandsStillBeyondSequenceCapacityThenBorrowsNextMillisecondAndKeepsNodeBits() {
        int node = 5;
        IdGenerator ids = new IdGenerator(Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC), node);
        long previous = ids.nextNumber();

        for (int i = 0; i < 10_000; i++) {
            long next = ids.nextNumber();
            assertThat(next).isGreaterThan(previous);
            // The node bits never change: a burst must not produce another node's IDs.
            assertThat((next >>> 12) & 63).isEqualTo(node);
            previous = next;
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void nextWhenCalledFromSeveralThreadsThenUniqueAndIncreasingPerThread(boolean fixedClock) throws Exception {
        Clock clock = fixedClock
                ? Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC)
                : Clock.systemUTC();
        IdGenerator ids = new IdGenerator(clock, 9);
        int threads = 8;
        int perThread = 25_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>(perThread);
                    ready.countDown();
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(Long.parseLong(number(ids.next(IdPrefix.TOKEN), IdPrefix.TOKEN)));
                    }
                    return mine;
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            start.countDown();

            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> result : results) {
                List<Long> mine = result.get(60, TimeUnit.SECONDS);
                assertThat(mine).hasSize(perThread).isSorted().doesNotHaveDuplicates();
                all.addAll(mine);
            }
            assertThat(all).hasSize(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void nextWhenClockGoesBackwardsThenStillStrictlyIncreasing() {
        MutableClock clock = new MutableClock(Instant.parse("2025-05-05T10:00:00Z"));
        IdGenerator ids = new IdGenerator(clock, 1);
        String first = ids.next(IdPrefix.ORGANIZATION);

        clock.set(Instant.parse("2025-05-05T09:00:00Z"));
        String afterStepBack = ids.next(IdPrefix.ORGANIZATION);
        String afterStepBackAgain = ids.next(IdPrefix.ORGANIZATION);
        clock.set(Instant.parse("2025-05-05T10:00:00.001Z"));
        String afterRecovery = ids.next(IdPrefix.ORGANIZATION);

        assertThat(List.of(first, afterStepBack, afterStepBackAgain, afterRecovery))
                .isSorted()
                .doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 64, 1000})
    void constructorWhenNodeOutOfRangeThenRefused(int node) {
        assertThatThrownBy(() -> new IdGenerator(Clock.systemUTC(), node))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 63})
    void constructorWhenNodeAtBoundThenAccepted(int node) {
        assertThatCode(() -> new IdGenerator(Clock.systemUTC(), node).next(IdPrefix.ENVIRONMENT)).doesNotThrowAnyException();
    }

    @Test
    void nextWhenTwoNodesInSameMillisecondThenDifferentIds() {
        Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
        IdGenerator nodeA = new IdGenerator(clock, 1);
        IdGenerator nodeB = new IdGenerator(clock, 2);

        Set<String> issued = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            issued.add(nodeA.next(IdPrefix.ORGANIZATION));
            issued.add(nodeB.next(IdPrefix.ORGANIZATION));
        }

        assertThat(issued).hasSize(200);
    }

    private static String number(String id, IdPrefix prefix) {
        assertThat(id).startsWith(prefix.wire());
        return id.substring(prefix.wire().length());
    }
}
