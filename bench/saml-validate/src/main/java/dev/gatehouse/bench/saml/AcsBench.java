package dev.gatehouse.bench.saml;

import dev.gatehouse.saml.testing.TestIdp;
import dev.gatehouse.saml.testing.TestKeys;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signed-assertion validations per second over HTTP at the ACS ({@code POST /sso/v1/saml/{id}/callback}) of a
 * running Gatehouse. Sets up an organization and a SAML connection that trusts the test IdP key and allows
 * IdP-initiated logins, pre-generates N signed responses with distinct assertion IDs (so the replay cache does real
 * inserts), then posts them from C client threads and counts the accepted ones (302 with {@code idp_initiated_login}).
 * Each accepted response costs the server: form parsing, XML parsing, one RSA-2048 signature verification, the replay
 * insert, and the signing of the {@code idp_initiated_login} JWT.
 *
 * <p>With {@code --mode validate} the connection has no default redirect URI: each response is still fully validated
 * (signature, replay insert) and then refused for want of a redirect target (400 and an audit record), which leaves
 * out the JWT's RSA signature, the dominant cost of the default mode on small machines.
 *
 * <p>usage: AcsBench URL CLIENT_ID CLIENT_SECRET [--responses N] [--concurrency C] [--mode token|validate]
 */
public final class AcsBench {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([a-z]+_[0-9]+)\"");

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: AcsBench URL CLIENT_ID CLIENT_SECRET [--responses N] [--concurrency C]");
            System.exit(2);
        }
        String url = args[0].replaceAll("/$", "");
        int responses = 2000;
        int concurrency = 16;
        boolean tokenMode = true;
        for (int i = 3; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--responses" -> responses = Integer.parseInt(args[i + 1]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
                case "--mode" -> tokenMode = !args[i + 1].equals("validate");
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
        String token = field(send(http, HttpRequest.newBuilder(URI.create(url + "/oauth/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + args[1]
                        + "&client_secret=" + URLEncoder.encode(args[2], StandardCharsets.UTF_8)))), "access_token");
        String org = id(json(http, "POST", url + "/api/v1/organizations", token, "{\"display_name\":\"acs bench\"}"));
        String connection = id(json(http, "POST", url + "/api/v1/organizations/" + org + "/connections", token,
                "{\"type\":\"SAML\",\"provider\":\"CUSTOM\"}"));
        String pem = TestKeys.IDP.certificatePem().replace("\n", "\\n");
        json(http, "PATCH", url + "/api/v1/organizations/" + org + "/connections/" + connection, token,
                "{\"saml_config\":{\"idp_entity_id\":\"" + TestIdp.ENTITY_ID + "\",\"idp_sso_url\":\"https://idp.example.test/sso\","
                        + "\"idp_certificate\":\"" + pem + "\",\"allow_idp_initiated_login\":true"
                        + (tokenMode ? ",\"default_redirect_uri\":\"http://localhost:3000/idp-initiated\"" : "") + "}}");
        json(http, "PATCH", url + "/api/v1/connections/" + connection + ":enable", token, null);
        String acs = url + "/sso/v1/saml/" + connection + "/callback";
        String entityId = url + "/sso/v1/saml/" + connection + "/metadata";

        long generating = System.nanoTime();
        List<String> bodies = new ArrayList<>(responses);
        for (int i = 0; i < responses; i++) {
            String saml = TestIdp.response(Instant.now()).destination(Optional.of(acs)).recipient(acs).audience(entityId)
                    .inResponseTo(Optional.empty()).assertionId("_bench" + i + "x" + System.nanoTime())
                    .attribute("email", "user" + (i % 100) + "@bench.example").build().signAssertion().encode();
            bodies.add("SAMLResponse=" + URLEncoder.encode(saml, StandardCharsets.UTF_8) + "&gatehouse_repost=1");
        }
        System.out.printf("generated %d signed responses (%d bytes each) in %d ms%n", responses, bodies.get(0).length(),
                (System.nanoTime() - generating) / 1_000_000);

        AtomicInteger next = new AtomicInteger();
        LongAdder accepted = new LongAdder();
        LongAdder refused = new LongAdder();
        CountDownLatch done = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        boolean expectToken = tokenMode;
        for (int t = 0; t < concurrency; t++) {
            Thread.ofPlatform().start(() -> {
                try {
                    for (int i; (i = next.getAndIncrement()) < bodies.size(); ) {
                        HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(acs))
                                .header("content-type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build(),
                                HttpResponse.BodyHandlers.discarding());
                        boolean ok = expectToken ? answer.statusCode() == 302 && answer.headers().firstValue("location")
                                .filter(l -> l.contains("idp_initiated_login=")).isPresent() : answer.statusCode() == 400;
                        (ok ? accepted : refused).increment();
                    }
                } catch (Exception e) {
                    refused.increment();
                    System.err.println("client error: " + e);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("acs (%s): %d as expected, %d not in %.2f s, concurrency %d: %.0f validations/s%n",
                tokenMode ? "token" : "validate", accepted.sum(), refused.sum(), seconds, concurrency,
                accepted.sum() / seconds);
        if (refused.sum() > 0) {
            System.exit(1);
        }
    }

    private static String json(HttpClient http, String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        return send(http, request);
    }

    private static String send(HttpClient http, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static String id(String body) {
        Matcher m = ID.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no id in " + body);
        }
        return m.group(1);
    }

    private static String field(String body, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + body);
        }
        return m.group(1);
    }
}
