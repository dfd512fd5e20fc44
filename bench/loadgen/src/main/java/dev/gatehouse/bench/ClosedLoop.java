package dev.gatehouse.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Closed-loop load: {@code concurrency} workers, each on its own platform thread, run one operation, wait for its
 * answer, and run the next, until the deadline ({@link #run}) or until a number of operations has been started
 * ({@link #runCount}). Every operation's latency is kept (up to a bound per worker), so the percentiles are exact.
 */
final class ClosedLoop {
    private static final int MAX_SAMPLES_PER_WORKER = 2_000_000;

    /** One worker's operation; it may keep state between calls (a cookie, the newest refresh token). */
    interface Operation {
        /** Runs once; true when the answer was the expected one. May throw; that counts as an error. */
        boolean run() throws Exception;
    }

    /** The outcome of a run: operations per second over the whole duration, latency percentiles, errors. */
    record Result(int operations, Duration duration, long p50Nanos, long p99Nanos, long errors, String firstError) {
        double perSecond() {
            return operations / (duration.toNanos() / 1e9);
        }

        /** {@code rps=… p50_ms=… p99_ms=… <errorsName>=…}: the line bench/lib/load.sh reads. */
        String line(String errorsName) {
            return String.format(java.util.Locale.ROOT, "rps=%.2f p50_ms=%.3f p99_ms=%.3f %s=%d", perSecond(),
                    p50Nanos / 1e6, p99Nanos / 1e6, errorsName, errors);
        }
    }

    private ClosedLoop() {}

    static Result run(int concurrency, Duration duration, IntFunction<Operation> operationOfWorker)
            throws InterruptedException {
        return run(concurrency, duration.toNanos(), new AtomicLong(Long.MAX_VALUE), duration, operationOfWorker);
    }

    /** Exactly {@code operations} operations (fewer only if they cannot be finished), shared by the workers. */
    static Result runCount(int concurrency, int operations, IntFunction<Operation> operationOfWorker)
            throws InterruptedException {
        return run(concurrency, Long.MAX_VALUE, new AtomicLong(operations), Duration.ZERO, operationOfWorker);
    }

    /**
     * Workers run for {@code limitNanos} or until {@code tickets} are used up; the result's duration is the wall time,
     * at least {@code minimumDuration}.
     */
    private static Result run(int concurrency, long limitNanos, AtomicLong tickets, Duration minimumDuration,
                              IntFunction<Operation> operationOfWorker) throws InterruptedException {
        Operation[] operations = new Operation[concurrency];
        for (int w = 0; w < concurrency; w++) {
            operations[w] = operationOfWorker.apply(w);
        }
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long[][] samples = new long[concurrency][];
        int[] counts = new int[concurrency];
        long start = System.nanoTime();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int w = 0; w < concurrency; w++) {
            final int worker = w;
            samples[w] = new long[1024];
            Thread.ofPlatform().name("load-" + w).start(() -> {
                try {
                    while (System.nanoTime() - start < limitNanos && counts[worker] < MAX_SAMPLES_PER_WORKER
                            && tickets.getAndDecrement() > 0) {
                        long begin = System.nanoTime();
                        boolean ok;
                        try {
                            ok = operations[worker].run();
                            if (!ok) {
                                firstError.compareAndSet(null, "unexpected answer");
                            }
                        } catch (Exception | AssertionError e) {
                            ok = false;
                            firstError.compareAndSet(null, e.toString());
                        }
                        long elapsed = System.nanoTime() - begin;
                        if (!ok) {
                            errors.incrementAndGet();
                        }
                        if (counts[worker] == samples[worker].length) {
                            samples[worker] = Arrays.copyOf(samples[worker], samples[worker].length * 2);
                        }
                        samples[worker][counts[worker]++] = elapsed;
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        Duration elapsed = Duration.ofNanos(Math.max(System.nanoTime() - start, minimumDuration.toNanos()));
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int offset = 0;
        for (int w = 0; w < concurrency; w++) {
            System.arraycopy(samples[w], 0, all, offset, counts[w]);
            offset += counts[w];
        }
        Arrays.sort(all);
        return new Result(total, elapsed, percentile(all, 0.50), percentile(all, 0.99), errors.get(), firstError.get());
    }

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1))];
    }
}
