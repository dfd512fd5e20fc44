package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.directory.Directory;
import dev.gatehouse.core.directory.DirectoryEventSink;
import dev.gatehouse.core.directory.DirectoryProvider;
import dev.gatehouse.core.directory.DirectoryUserLinker;
import dev.gatehouse.scim.ScimEndpoint;
import dev.gatehouse.scim.ScimRequest;
import dev.gatehouse.scim.ScimResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of the SCIM filter, bounded so that it runs in every CI build: valid filters mutated at random (and random
 * strings) go through the whole list path of a real endpoint over a real database (parse, the indexed
 * {@code userName eq} shortcut, in-memory evaluation, sorting, projection), for Users and Groups, as a query parameter
 * and as a {@code /.search} body. The property: the answer is 200 or a SCIM 400, never anything else (no 500).
 * A longer local run: {@code -Dgatehouse.fuzz.iterations=200000 -Dgatehouse.fuzz.seed=<any>}; a failure prints its
 * seed and input.
 */
class ScimFilterFuzzTest {
    private static final int ITERATIONS = Integer.getInteger("gatehouse.fuzz.iterations", 1000);
    private static final long SEED = Long.getLong("gatehouse.fuzz.seed", 20251124L);
    private static final List<String> CORPUS = List.of(
            "userName eq \"fuzz.ada@example.com\"",
            "userName eq \"FUZZ.ADA@example.com\"",
            "userName sw \"fuzz\" and active eq true",
            "emails[type eq \"work\" and primary eq true]",
            "emails[type eq \"work\"].value co \"@example\"",
            "name.givenName pr or name.familyName ew \"ace\"",
            "not (title eq \"Engineer\") and (externalId eq \"ext-1\" or id ne \"x\")",
            "meta.lastModified gt \"2025-01-01T00:00:00Z\"",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"R&D\"",
            "urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"fuzz.bob@example.com\"",
            "groups[value eq \"dirgroup_1\"] or groups.display sw \"Eng\"",
            "displayName eq \"Engineering\"",
            "members[value eq \"diruser_1\"] and displayName co \"n\"",
            "active eq false or active ne true",
            "userName gt \"a\" and userName le \"z\"",
            "x509Certificates.value pr",
            "phoneNumbers[type eq \"mobile\"].value eq \"+15550100\"",
            "employeeNumber ge 10");
    private static final String[] ATOMS = {" ", "(", ")", "[", "]", "\"", "\\", ".", ":", ",", "and", "or", "not", "eq", "ne",
            "co", "sw", "ew", "pr", "gt", "ge", "lt", "le", "true", "false", "null", "1", "-1.5e308", "1e999", "\"\"",
            "userName", "emails", "value", "$ref", "urn:", "\u00e9", "\ud83d\ude00", "\ud800", "\u0000", "\t", "\n", "%", "*"};

    private static TestGatehouse gatehouse;
    private static ScimEndpoint endpoint;
    private static Directory directory;
    private static String baseUrl;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
        ScimDirectoryFixture fixture = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.OKTA);
        Wiring w = gatehouse.wiring;
        directory = w.directories.get(gatehouse.environmentId(), fixture.organization().id(), fixture.directory().id());
        baseUrl = fixture.baseUrl();
        endpoint = new ScimEndpoint(w.directoryResources, w.directoryRepository, w.transactions, w.ids, Clock.systemUTC(),
                DirectoryEventSink.NONE, DirectoryUserLinker.NONE, w.audit);
        String ada = fixture.create("Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "userName":"fuzz.ada@example.com","externalId":"ext-1","title":"Engineer","active":true,
                 "name":{"givenName":"Ada","familyName":"Lovelace"},
                 "emails":[{"value":"fuzz.ada@example.com","type":"work","primary":true},{"value":"ada@home.example"}],
                 "phoneNumbers":[{"value":"+15550100","type":"mobile"}],
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D","employeeNumber":"42"}}""")
                .path("id").asText();
        String bob = fixture.createUser("fuzz.bob@example.com").path("id").asText();
        fixture.create("Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering",
                 "members":[{"value":"%s"},{"value":"%s"}]}""".formatted(ada, bob));
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
    }

    @Test
    void listWhenFilterIsMutatedOrRandomThenOkOrScim400NeverAnythingElse() {
        Random random = new Random(SEED);
        int ok = 0;
        int refused = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String filter = random.nextInt(10) == 0 ? randomString(random) : mutate(random, CORPUS.get(random.nextInt(CORPUS.size())));
            String collection = random.nextBoolean() ? "/Users" : "/Groups";
            ScimRequest request = i % 4 == 3
                    ? new ScimRequest("POST", collection + "/.search", Map.of(), searchBody(filter, random), baseUrl)
                    : new ScimRequest("GET", collection, Map.of("filter", List.of(filter)), "", baseUrl);
            ScimResponse response = endpoint.handle(directory, request);
            String context = "seed " + SEED + ", iteration " + i + ", " + request.method() + " " + collection
                    + ", filter " + escape(filter) + ": " + response.body();
            if (response.status() == 200) {
                assertThat(json(response).path("Resources").isArray()).as(context).isTrue();
                ok++;
            } else {
                assertThat(response.status()).as(context).isEqualTo(400);
                assertThat(json(response).path("scimType").asText()).as(context)
                        .isIn("invalidFilter", "invalidValue", "invalidPath");
                refused++;
            }
        }
        assertThat(ok).as("the mutations keep some filters valid").isGreaterThan(ITERATIONS / 20);
        assertThat(refused).as("and break others").isGreaterThan(ITERATIONS / 20);
    }

    /** One to four edits of a valid filter: insert, delete, duplicate, replace, swap, combine, or case changes. */
    private static String mutate(Random random, String seed) {
        StringBuilder s = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = s.isEmpty() ? 0 : random.nextInt(s.length() + 1);
            switch (random.nextInt(8)) {
                case 0 -> s.insert(at, ATOMS[random.nextInt(ATOMS.length)]);
                case 1 -> {
                    if (!s.isEmpty()) {
                        int from = Math.min(at, s.length() - 1);
                        s.delete(from, Math.min(s.length(), from + 1 + random.nextInt(6)));
                    }
                }
                case 2 -> {
                    int end = Math.min(s.length(), at + random.nextInt(12));
                    s.insert(end, s.substring(at, end));
                }
                case 3 -> {
                    if (!s.isEmpty()) {
                        s.setCharAt(Math.min(at, s.length() - 1), (char) random.nextInt(0x2100));
                    }
                }
                case 4 -> {
                    int mid = s.isEmpty() ? 0 : random.nextInt(s.length());
                    String head = s.substring(0, mid);
                    s.replace(0, s.length(), s.substring(mid) + head);
                }
                case 5 -> s.replace(0, s.length(), "(" + s + ") " + (random.nextBoolean() ? "and " : "or ")
                        + CORPUS.get(random.nextInt(CORPUS.size())));
                case 6 -> s.replace(0, s.length(), random.nextBoolean() ? "not (" + s + ")" : s.toString().toUpperCase(java.util.Locale.ROOT));
                default -> s.setLength(Math.min(s.length(), at));
            }
        }
        return s.toString();
    }

    private static String randomString(Random random) {
        StringBuilder s = new StringBuilder();
        int atoms = random.nextInt(20);
        for (int i = 0; i < atoms; i++) {
            s.append(random.nextInt(4) == 0 ? Character.toString(random.nextInt(0x3000)) : ATOMS[random.nextInt(ATOMS.length)]);
        }
        return s.toString();
    }

    private static String searchBody(String filter, Random random) {
        var body = TestGatehouse.JSON.createObjectNode();
        body.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:SearchRequest");
        body.put("filter", filter);
        if (random.nextBoolean()) {
            body.put("sortBy", random.nextBoolean() ? "userName" : "displayName").put("count", random.nextInt(5));
        }
        return body.toString();
    }

    private static JsonNode json(ScimResponse response) {
        try {
            return TestGatehouse.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String value) {
        StringBuilder out = new StringBuilder();
        value.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : Character.toString(c)));
        return out.toString();
    }
}
