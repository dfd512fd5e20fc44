package dev.gatehouse.bench.saml;

import dev.gatehouse.saml.testing.TestIdp;
import dev.gatehouse.saml.testing.TestKeys;
import java.io.BufferedWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Prepares the ACS benchmark ({@code bench/acs-bench.sh}) against a running Gatehouse: sets up an organization and a
 * SAML connection that trusts the test IdP key and allows IdP-initiated logins, and writes N signed responses with
 * distinct assertion IDs (so the replay cache does real inserts), one URL-encoded ACS form body per line, to a file.
 * The load itself comes from wrk ({@code bench/lib/acs.lua}), which costs far less CPU than a Java client on the
 * same cores. Each accepted response costs the server: form parsing, XML parsing, one RSA-2048 signature
 * verification, the replay insert, and (mode token) the signing of the {@code idp_initiated_login} JWT.
 *
 * <p>With {@code --mode validate} the connection has no default redirect URI: each response is still fully validated
 * (signature, replay insert) and then refused for want of a redirect target (400 and an audit record), which leaves
 * out the JWT's RSA signature.
 *
 * <p>usage: AcsBench URL CLIENT_ID CLIENT_SECRET --out FILE [--responses N] [--mode token|validate]
 * [--out2 FILE --responses2 N] (a second file for the same connection, e.g. for the warm-up). Prints
 * {@code acs_path=/sso/v1/saml/<connection>/callback}.
 */
public final class AcsBench {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([a-z]+_[0-9]+)\"");

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: AcsBench URL CLIENT_ID CLIENT_SECRET --out FILE [--responses N] [--mode token|validate]");
            System.exit(2);
        }
        String url = args[0].replaceAll("/$", "");
        int responses = 2000;
        int responses2 = 0;
        Path out = null;
        Path out2 = null;
        boolean tokenMode = true;
        for (int i = 3; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--responses" -> responses = Integer.parseInt(args[i + 1]);
                case "--responses2" -> responses2 = Integer.parseInt(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                case "--out2" -> out2 = Path.of(args[i + 1]);
                case "--mode" -> tokenMode = !args[i + 1].equals("validate");
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out FILE is required");
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
        String acsPath = "/sso/v1/saml/" + connection + "/callback";
        String acs = url + acsPath;
        String entityId = url + "/sso/v1/saml/" + connection + "/metadata";

        long generating = System.nanoTime();
        if (out2 != null) {
            write(out2, "b", responses2, acs, entityId);
        }
        int length = write(out, "a", responses, acs, entityId);
        System.out.printf("generated %d signed responses (%d bytes each as a form) in %d ms%n", responses + responses2,
                length, (System.nanoTime() - generating) / 1_000_000);
        System.out.println("acs_path=" + acsPath);
    }

    /** Writes {@code count} distinct signed responses, one form body a line; returns the length of the first. */
    private static int write(Path file, String prefix, int count, String acs, String entityId) throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        Instant now = Instant.now();
        String[] bodies = IntStream.range(0, count).parallel().mapToObj(i -> {
            String saml = TestIdp.response(now).destination(Optional.of(acs)).recipient(acs).audience(entityId)
                    .inResponseTo(Optional.empty()).assertionId("_bench" + run + prefix + i)
                    .attribute("email", "user" + (i % 100) + "@bench.example").build().signAssertion().encode();
            return "SAMLResponse=" + URLEncoder.encode(saml, StandardCharsets.UTF_8) + "&gatehouse_repost=1";
        }).toArray(String[]::new);
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            for (String body : bodies) {
                writer.write(body);
                writer.write('\n');
            }
        }
        return bodies.length == 0 ? 0 : bodies[0].length();
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
