import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load for bench/webhook-latency.sh, run as a single-file program ({@code java bench/lib/WebhookLoad.java}).
 *
 * <p>A loopback webhook receiver (answers 204 at once, counts distinct {@code webhook-id}s) and an
 * open-loop producer: {@code RATE} organization creates per second through the REST API for
 * {@code SECONDS}, each one committing an {@code organization.created} event. Open loop: requests are
 * sent on schedule whatever the answers take, so a slow server shows up as latency, not as a lower rate.
 * After producing it waits (at most {@code DRAIN_SECONDS}) until every created organization's event has
 * arrived, then prints one line: {@code sent=… created=… failed=… received=… drained=true|false}.
 *
 * <p>usage: WebhookLoad GATEHOUSE_URL TOKEN RECEIVER_PORT RATE SECONDS DRAIN_SECONDS
 * (RATE 0: only run the receiver until killed; for registering the endpoint and warming up separately.)
 */
public final class WebhookLoad {
    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: WebhookLoad GATEHOUSE_URL TOKEN RECEIVER_PORT RATE SECONDS DRAIN_SECONDS");
            System.exit(2);
        }
        String url = args[0];
        String token = args[1];
        int port = Integer.parseInt(args[2]);
        int rate = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        int drainSeconds = Integer.parseInt(args[5]);

        Set<String> received = ConcurrentHashMap.newKeySet();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
            }
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            if (id != null) {
                received.add(id);
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        System.err.println("receiver listening on 127.0.0.1:" + port);
        if (rate == 0) {
            Thread.sleep(Duration.ofSeconds(seconds));
            receiver.stop(0);
            return;
        }

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        AtomicLong sent = new AtomicLong();
        AtomicLong created = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        long total = (long) rate * seconds;
        long periodNanos = 1_000_000_000L / rate;
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> {
            // Catch up if a tick was late: the number sent always follows the clock.
            long due = Math.min(total, (System.nanoTime() - start) / periodNanos + 1);
            while (sent.get() < due) {
                long n = sent.incrementAndGet();
                HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/v1/organizations"))
                        .timeout(Duration.ofSeconds(30))
                        .header("authorization", "Bearer " + token)
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"display_name\":\"webhook bench " + n + "\"}"))
                        .build();
                client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                    if (error == null && response.statusCode() / 100 == 2) {
                        created.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        String reason = cause == null ? "HTTP " + response.statusCode() : cause.getClass().getSimpleName();
                        failures.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
                    }
                });
            }
        }, 0, Math.max(1, periodNanos), TimeUnit.NANOSECONDS);

        long produceDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 30L);
        while (created.get() + failed.get() < total && System.nanoTime() < produceDeadline) {
            Thread.sleep(50);
        }
        ticker.shutdownNow();
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainSeconds);
        while (received.size() < created.get() && System.nanoTime() < drainDeadline) {
            Thread.sleep(50);
        }
        boolean drained = received.size() >= created.get();
        System.out.printf("sent=%d created=%d failed=%d received=%d drained=%s%s%n",
                sent.get(), created.get(), failed.get(), received.size(), drained,
                failures.isEmpty() ? "" : " failures=" + new TreeMap<>(failures));
        receiver.stop(0);
        System.exit(drained && failed.get() == 0 ? 0 : 1);
    }

    private WebhookLoad() {}
}
