package dev.gatehouse.bench.saml;

import dev.gatehouse.core.sso.AssertionReplayCache;
import dev.gatehouse.saml.response.SamlResponseValidator;
import dev.gatehouse.saml.response.SamlValidation;
import dev.gatehouse.saml.response.ValidatedAssertion;
import dev.gatehouse.saml.response.ValidationPolicy;
import dev.gatehouse.saml.testing.TestIdp;
import dev.gatehouse.saml.testing.TestPolicies;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validations per second of a realistic SAML response (~6 kB decoded: signed assertion with the IdP
 * certificate in KeyInfo, RSA-2048 / SHA-256, 11 attributes) by {@link SamlResponseValidator}, in process, on
 * 1 and 2 threads. The replay cache accepts everything (its database insert is the ACS's cost, not the
 * validator's), and the responses are distinct so the work is the same as for real traffic.
 *
 * <p>usage: SamlValidateBench [--threads "1 2"] [--warmup SECONDS] [--seconds SECONDS]
 */
public final class SamlValidateBench {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final int DISTINCT_RESPONSES = 512;

    public static void main(String[] args) throws Exception {
        List<Integer> threads = List.of(1, 2);
        long warmup = 10;
        long seconds = 20;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--threads" -> threads = Arrays.stream(args[i + 1].trim().split("[ ,]+")).map(Integer::parseInt).toList();
                case "--warmup" -> warmup = Long.parseLong(args[i + 1]);
                case "--seconds" -> seconds = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<String> responses = responses();
        int size = Base64.getDecoder().decode(responses.getFirst()).length;
        ValidationPolicy policy = TestPolicies.spInitiated().build();
        SamlResponseValidator validator = new SamlResponseValidator(new AcceptEverything());
        System.out.printf("saml-validate: %d distinct responses of %d bytes (decoded), RSA-2048 SHA-256, %d cores%n",
                responses.size(), size, Runtime.getRuntime().availableProcessors());
        for (int n : threads) {
            run(validator, policy, responses, n, Duration.ofSeconds(warmup));
            Result result = run(validator, policy, responses, n, Duration.ofSeconds(seconds));
            System.out.printf("threads=%d validations_per_s=%.0f cpu_us_per_validation=%.1f (cpu-bound ceiling on %d cores: %.0f/s)%n",
                    n, result.perSecond(), result.cpuMicrosPerValidation(), Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().availableProcessors() * 1e6 / result.cpuMicrosPerValidation());
        }
    }

    static List<String> responses() {
        List<String> responses = new ArrayList<>(DISTINCT_RESPONSES);
        for (int i = 0; i < DISTINCT_RESPONSES; i++) {
            TestIdp.Spec spec = TestIdp.response(NOW).assertionId("_bench-assertion-" + i).nameId("user" + i + "@acme.example");
            spec.attribute("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "user" + i + "@acme.example");
            spec.attribute("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "Jane");
            spec.attribute("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "Doe");
            spec.attribute("http://schemas.microsoft.com/identity/claims/objectidentifier", "9f1c2b7e-3a4d-4e5f-8a9b-0c1d2e3f4a5b");
            spec.attribute("http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
                    "engineering", "platform-team", "on-call", "all-staff");
            spec.attribute("department", "Platform Engineering");
            spec.attribute("employeeNumber", "1729");
            responses.add(spec.build().signAssertion().encode());
        }
        return responses;
    }

    /**
     * Throughput by the wall clock, and CPU time per validation (thread CPU time): the second stays meaningful
     * on a machine shared with other work, where the first does not.
     */
    record Result(double perSecond, double cpuMicrosPerValidation) {}

    private static Result run(SamlResponseValidator validator, ValidationPolicy policy, List<String> responses, int threads,
                              Duration duration) throws InterruptedException {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        LongAdder cpuNanos = new LongAdder();
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(threads);
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int offset = t * 97;
            Thread.ofPlatform().name("validate-" + t).start(() -> {
                long cpuStart = cpu.getCurrentThreadCpuTime();
                try {
                    for (int i = offset; !stop.get(); i++) {
                        SamlValidation result = validator.validate(responses.get(i % responses.size()), policy, NOW);
                        if (!(result instanceof ValidatedAssertion)) {
                            throw new IllegalStateException("benchmark response refused: " + result);
                        }
                        done.increment();
                    }
                } finally {
                    cpuNanos.add(cpu.getCurrentThreadCpuTime() - cpuStart);
                    finished.countDown();
                }
            });
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        finished.await();
        long count = done.sum();
        return new Result(count / ((System.nanoTime() - start) / 1e9), cpuNanos.sum() / 1e3 / Math.max(1, count));
    }

    /** The replay check always passes: the benchmark measures validation, not the database. */
    private static final class AcceptEverything implements AssertionReplayCache {
        @Override
        public boolean firstUse(String environmentId, String connectionId, String assertionId, Instant expiresAt) {
            return true;
        }

        @Override
        public int purgeExpired(Instant now, int limit) {
            return 0;
        }
    }
}
