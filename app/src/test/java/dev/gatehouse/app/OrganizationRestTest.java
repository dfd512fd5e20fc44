package dev.gatehouse.app;

import static dev.gatehouse.app.RpcStatusAssertions.assertClientErrorShape;
import static dev.gatehouse.app.RpcStatusAssertions.assertInvalidArgument;
import static dev.gatehouse.app.RpcStatusAssertions.assertRpcStatus;
import static dev.gatehouse.app.RpcStatusAssertions.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.organization.Organization;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every REST endpoint of the Organizations API, over real HTTP/1.1 against a running Gatehouse. */
class OrganizationRestTest {
    static final String ORGS = "/api/v1/organizations";
    static final String ID_PATTERN = "^org_\\d{17}$";

    static TestGatehouse gatehouse;
    static String token;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
        token = gatehouse.accessToken();
    }

    @AfterAll
    static void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    static JsonNode create(String token, Map<String, ?> organization) {
        TestGatehouse.Response response = gatehouse.postJson(ORGS, token, organization);
        assertThat(response.status()).as("create: %s", response).isEqualTo(201);
        return response.json().path("organization");
    }

    static JsonNode create(Map<String, ?> organization) {
        return create(token, organization);
    }

    static JsonNode get(String id) {
        TestGatehouse.Response response = gatehouse.get(ORGS + "/" + id, token);
        assertThat(response.status()).as("get: %s", response).isEqualTo(200);
        return response.json().path("organization");
    }

    static long totalSize(String token) {
        TestGatehouse.Response response = gatehouse.get(ORGS + "?page_size=1", token);
        assertThat(response.status()).as("list: %s", response).isEqualTo(200);
        return response.json().path("total_size").asLong();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static List<String> ids(JsonNode organizations) {
        List<String> ids = new ArrayList<>();
        organizations.forEach(o -> ids.add(o.path("id").asText()));
        return ids;
    }

    // ------------------------------------------------------------------ create / get

    @Nested
    class Create {
        @Test
        void answers201WithTheOrganizationInSnakeCase() {
            String externalId = unique("acme");
            TestGatehouse.Response response = gatehouse.postJson(ORGS, token, Map.of(
                    "display_name", "Acme Corp", "external_id", externalId, "region_code", "EU",
                    "metadata", Map.of("tier", "gold", "seats", "250"),
                    "slug", "acme-corp", "logo_url", "https://cdn.example.com/acme.png"));

            assertThat(response.status()).as("%s", response).isEqualTo(201);
            assertThat(response.header("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            JsonNode body = response.json();
            assertThat(fieldNames(body)).containsExactly("organization");
            JsonNode org = body.path("organization");
            assertThat(fieldNames(org)).containsExactlyInAnyOrder("id", "create_time", "update_time", "display_name",
                    "region_code", "external_id", "metadata", "settings", "slug", "logo_url");
            assertThat(org.path("id").asText()).matches(ID_PATTERN);
            assertThat(org.path("display_name").asText()).isEqualTo("Acme Corp");
            assertThat(org.path("external_id").asText()).isEqualTo(externalId);
            assertThat(org.path("region_code").asText()).isEqualTo("EU");
            assertThat(org.path("slug").asText()).isEqualTo("acme-corp");
            assertThat(org.path("logo_url").asText()).isEqualTo("https://cdn.example.com/acme.png");
            assertThat(TestGatehouse.JSON.convertValue(org.path("metadata"), Map.class))
                    .isEqualTo(Map.of("tier", "gold", "seats", "250"));
            Instant created = Instant.parse(org.path("create_time").asText());
            assertThat(created).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(5));
            assertThat(org.path("update_time").asText()).isEqualTo(org.path("create_time").asText());
            assertThat(features(org)).containsExactly(Map.entry("sso", false), Map.entry("dir_sync", false));
        }

        @Test
        void minimalOrganizationHasDefaultsAndNoOptionalFields() {
            JsonNode org = create(Map.of("display_name", "  Minimal Inc  "));
            assertThat(org.path("id").asText()).matches(ID_PATTERN);
            assertThat(org.path("display_name").asText()).as("display_name is stripped").isEqualTo("Minimal Inc");
            assertThat(org.path("region_code").asText()).isEqualTo("REGION_CODE_UNSPECIFIED");
            assertThat(org.path("metadata").isObject()).isTrue();
            assertThat(org.path("metadata")).isEmpty();
            assertThat(org.has("external_id")).isFalse();
            assertThat(org.has("slug")).isFalse();
            assertThat(org.has("logo_url")).isFalse();
        }

        @Test
        void idsAreUniqueAndIncreasing() {
            List<String> ids = IntStream.range(0, 5)
                    .mapToObj(i -> create(Map.of("display_name", "Sequence " + i)).path("id").asText())
                    .toList();
            assertThat(ids).doesNotHaveDuplicates().isSorted().allMatch(id -> id.matches(ID_PATTERN));
        }

        @Test
        void boundaryValuesAreAccepted() {
            Map<String, String> metadata = new LinkedHashMap<>();
            for (int i = 0; i < 9; i++) {
                metadata.put("key" + i, "v");
            }
            metadata.put("k".repeat(25), "v".repeat(256));
            JsonNode org = create(Map.of("display_name", "n".repeat(200), "metadata", metadata));
            assertThat(org.path("display_name").asText()).hasSize(200);
            assertThat(org.path("metadata")).hasSize(10);
            assertThat(org.path("metadata").path("k".repeat(25)).asText()).hasSize(256);
        }
    }

    @Nested
    class Get {
        @Test
        void returnsWhatCreateReturned() {
            JsonNode created = create(Map.of("display_name", "Get Me", "external_id", unique("get"),
                    "metadata", Map.of("plan", "pro")));
            TestGatehouse.Response response = gatehouse.get(ORGS + "/" + created.path("id").asText(), token);
            assertThat(response.status()).isEqualTo(200);
            assertThat(fieldNames(response.json())).containsExactly("organization");
            assertThat(response.json().path("organization")).isEqualTo(created);
        }

        @Test
        void byExternalIdReturnsTheSameOrganization() {
            String externalId = unique("ext");
            JsonNode created = create(Map.of("display_name", "By External", "external_id", externalId));
            TestGatehouse.Response response = gatehouse.get(ORGS + ":external/" + encode(externalId), token);
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            assertThat(response.header("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(fieldNames(response.json())).containsExactly("organization");
            assertThat(response.json().path("organization")).isEqualTo(created);
        }

        @Test
        void byExternalIdDecodesPercentEncoding() {
            for (String externalId : List.of(unique("with space"), unique("slash/inside"), unique("ünïcödé"), unique("100%"), unique("a+b"))) {
                JsonNode created = create(Map.of("display_name", "Encoded", "external_id", externalId));
                TestGatehouse.Response response = gatehouse.get(ORGS + ":external/" + encode(externalId), token);
                assertThat(response.status()).as("%s: %s", externalId, response).isEqualTo(200);
                assertThat(response.json().path("organization").path("id").asText()).isEqualTo(created.path("id").asText());
            }
        }

        @Test
        void unknownIdIs404NotFound() {
            assertRpcStatus(gatehouse.get(ORGS + "/org_10000000000000000", token), 404, 5, "NOT_FOUND");
        }

        @Test
        void unknownExternalIdIs404NotFound() {
            assertRpcStatus(gatehouse.get(ORGS + ":external/" + unique("nobody"), token), 404, 5, "NOT_FOUND");
        }

        @Test
        void overlongIdIs400() {
            assertInvalidArgument(gatehouse.get(ORGS + "/org_" + "1".repeat(40), token), "id");
        }
    }

    // ------------------------------------------------------------------ list / search

    @Nested
    class ListOrganizations {
        static final int SEEDED = 105;
        static TestGatehouse.TestEnvironment environment;
        static String environmentToken;
        static List<String> seededIds;

        @BeforeAll
        static void seed() {
            environment = gatehouse.createIsolatedEnvironment();
            environmentToken = gatehouse.accessToken(environment);
            seededIds = IntStream.range(0, SEEDED)
                    .mapToObj(i -> gatehouse.seedOrganization(environment.id(), "Listed " + i, "listed-" + i))
                    .map(Organization::id)
                    .toList();
        }

        TestGatehouse.Response list(String query) {
            return gatehouse.get(ORGS + query, environmentToken);
        }

        @Test
        void defaultPageSizeIsTen() {
            TestGatehouse.Response response = list("");
            assertThat(response.status()).isEqualTo(200);
            JsonNode body = response.json();
            assertThat(fieldNames(body)).containsExactlyInAnyOrder("next_page_token", "prev_page_token", "total_size", "organizations");
            assertThat(ids(body.path("organizations"))).isEqualTo(seededIds.subList(0, 10));
            assertThat(body.path("total_size").asInt()).isEqualTo(SEEDED);
            assertThat(body.path("next_page_token").asText()).isNotEmpty();
            assertThat(body.path("prev_page_token").asText()).isEmpty();
        }

        @Test
        void pageSizeAbove100IsCoercedTo100() {
            for (String size : List.of("101", "500", "2147483647")) {
                JsonNode body = list("?page_size=" + size).json();
                assertThat(body.path("organizations")).as("page_size=%s", size).hasSize(100);
                assertThat(body.path("next_page_token").asText()).isNotEmpty();
            }
            assertThat(list("?page_size=100").json().path("organizations")).hasSize(100);
        }

        @Test
        void pagesForwardAndBackThroughEveryOrganizationExactlyOnce() {
            List<List<String>> forward = new ArrayList<>();
            List<String> nextTokens = new ArrayList<>();
            String pageToken = "";
            do {
                JsonNode body = list("?page_size=10&page_token=" + pageToken).json();
                assertThat(body.path("total_size").asInt()).isEqualTo(SEEDED);
                assertThat(body.path("prev_page_token").asText().isEmpty()).as("prev token on page %d", forward.size())
                        .isEqualTo(forward.isEmpty());
                forward.add(ids(body.path("organizations")));
                pageToken = body.path("next_page_token").asText();
                nextTokens.add(pageToken);
                assertThat(forward).as("paging must end").hasSizeLessThanOrEqualTo(20);
            } while (!pageToken.isEmpty());

            assertThat(forward).hasSize(11);
            assertThat(forward.getLast()).hasSize(5);
            assertThat(forward.stream().flatMap(List::stream).toList()).isEqualTo(seededIds);
            assertThat(nextTokens.subList(0, nextTokens.size() - 1)).doesNotHaveDuplicates().allMatch(t -> !t.isEmpty());

            // From the last page, the prev tokens lead back through the same pages to the first.
            JsonNode last = list("?page_size=10&page_token=" + nextTokens.get(nextTokens.size() - 2)).json();
            String prev = last.path("prev_page_token").asText();
            List<List<String>> backward = new ArrayList<>();
            backward.add(ids(last.path("organizations")));
            while (!prev.isEmpty()) {
                JsonNode body = list("?page_size=10&page_token=" + prev).json();
                backward.addFirst(ids(body.path("organizations")));
                assertThat(body.path("next_page_token").asText()).as("a page reached backwards has a next page").isNotEmpty();
                prev = body.path("prev_page_token").asText();
                assertThat(backward).as("paging back must end").hasSizeLessThanOrEqualTo(20);
            }
            assertThat(backward).isEqualTo(forward);
        }

        @Test
        void filtersByExternalId() {
            JsonNode body = list("?external_id=listed-42").json();
            assertThat(ids(body.path("organizations"))).containsExactly(seededIds.get(42));
            assertThat(body.path("total_size").asInt()).isEqualTo(1);
            assertThat(body.path("next_page_token").asText()).isEmpty();
        }

        @Test
        void invalidPageTokenIs400() {
            for (String bad : List.of("not-a-token", "cDE-", "cDF-b3JnXzE", "%25%25%25", "x".repeat(300))) {
                assertInvalidArgument(list("?page_token=" + bad), "page_token");
            }
        }

        @Test
        void malformedPageSizeIs400() {
            assertClientErrorShape(list("?page_size=abc"));
            assertClientErrorShape(list("?page_size=-1"));
        }
    }

    @Nested
    class Search {
        static TestGatehouse.TestEnvironment environment;
        static String environmentToken;
        static List<String> zebraIds;

        @BeforeAll
        static void seed() {
            environment = gatehouse.createIsolatedEnvironment();
            environmentToken = gatehouse.accessToken(environment);
            zebraIds = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                zebraIds.add(gatehouse.seedOrganization(environment.id(), "Zebra Stripes " + i, "zz-" + i).id());
            }
            gatehouse.seedOrganization(environment.id(), "Okapi", "ext-okapi-77");
            gatehouse.seedOrganization(environment.id(), "100% Pure_Co", null);
        }

        TestGatehouse.Response search(String query) {
            return gatehouse.get(ORGS + ":search" + query, environmentToken);
        }

        @Test
        void findsByDisplayNameCaseInsensitively() {
            JsonNode body = search("?query=ZEBRA&page_size=30").json();
            assertThat(fieldNames(body)).containsExactlyInAnyOrder("next_page_token", "prev_page_token", "total_size", "organizations");
            assertThat(ids(body.path("organizations"))).isEqualTo(zebraIds);
            assertThat(body.path("total_size").asInt()).isEqualTo(12);
            assertThat(body.path("next_page_token").asText()).isEmpty();
        }

        @Test
        void findsByExternalIdAndId() {
            JsonNode byExternal = search("?query=okapi-77").json();
            assertThat(byExternal.path("organizations")).hasSize(1);
            assertThat(byExternal.path("organizations").get(0).path("display_name").asText()).isEqualTo("Okapi");
            JsonNode byId = search("?query=" + zebraIds.get(3)).json();
            assertThat(ids(byId.path("organizations"))).containsExactly(zebraIds.get(3));
        }

        @Test
        void pagesWithDefaultSizeTen() {
            JsonNode first = search("?query=zebra").json();
            assertThat(ids(first.path("organizations"))).isEqualTo(zebraIds.subList(0, 10));
            String next = first.path("next_page_token").asText();
            assertThat(next).isNotEmpty();
            JsonNode second = search("?query=zebra&page_token=" + next).json();
            assertThat(ids(second.path("organizations"))).isEqualTo(zebraIds.subList(10, 12));
            assertThat(second.path("next_page_token").asText()).isEmpty();
            assertThat(second.path("prev_page_token").asText()).isNotEmpty();
        }

        @Test
        void likeWildcardsAreLiteral() {
            assertThat(search("?query=" + encode("100%")).json().path("organizations")).hasSize(1);
            assertThat(search("?query=" + encode("e_C")).json().path("organizations")).hasSize(1);
            assertThat(search("?query=" + encode("%%%")).json().path("organizations")).isEmpty();
            assertThat(search("?query=" + encode("___")).json().path("organizations")).isEmpty();
        }

        @Test
        void noMatchIsAnEmptyPage() {
            JsonNode body = search("?query=nothing-like-this").json();
            assertThat(body.path("organizations")).isEmpty();
            assertThat(body.path("total_size").asInt()).isZero();
        }

        @Test
        void queryShorterThanThreeCharactersIs400() {
            assertInvalidArgument(search("?query=ze"), "query");
            assertInvalidArgument(search("?query=" + encode("  ze  ")), "query");
            assertInvalidArgument(search(""), "query");
            assertInvalidArgument(search("?query=" + "z".repeat(101)), "query");
        }

        @Test
        void pageSizeAbove30Is400() {
            assertInvalidArgument(search("?query=zebra&page_size=31"), "page_size");
            assertThat(search("?query=zebra&page_size=30").status()).isEqualTo(200);
        }

        @Test
        void invalidPageTokenIs400() {
            assertInvalidArgument(search("?query=zebra&page_token=garbage"), "page_token");
        }
    }

    // ------------------------------------------------------------------ update / delete

    @Nested
    class Update {
        @Test
        void patchChangesOnlyTheFieldsPresent() {
            String externalId = unique("patch");
            JsonNode created = create(Map.of("display_name", "Before", "external_id", externalId,
                    "metadata", Map.of("plan", "free"), "slug", "before-co"));
            String id = created.path("id").asText();

            TestGatehouse.Response renamed = gatehouse.patchJson(ORGS + "/" + id, token, Map.of("display_name", "After"));
            assertThat(renamed.status()).as("%s", renamed).isEqualTo(200);
            JsonNode org = renamed.json().path("organization");
            assertThat(org.path("display_name").asText()).isEqualTo("After");
            assertThat(org.path("external_id").asText()).isEqualTo(externalId);
            assertThat(org.path("metadata").path("plan").asText()).isEqualTo("free");
            assertThat(org.path("slug").asText()).isEqualTo("before-co");
            assertThat(org.path("create_time")).isEqualTo(created.path("create_time"));
            assertThat(Instant.parse(org.path("update_time").asText()))
                    .isAfterOrEqualTo(Instant.parse(created.path("update_time").asText()));
            assertThat(get(id)).isEqualTo(org);

            JsonNode remetadata = gatehouse.patchJson(ORGS + "/" + id, token,
                    Map.of("metadata", Map.of("plan", "enterprise", "seats", "10"))).json().path("organization");
            assertThat(TestGatehouse.JSON.convertValue(remetadata.path("metadata"), Map.class))
                    .isEqualTo(Map.of("plan", "enterprise", "seats", "10"));
            assertThat(remetadata.path("display_name").asText()).isEqualTo("After");
        }

        @Test
        void patchingTheExternalIdMovesTheExternalLookup() {
            String before = unique("move-from");
            String after = unique("move-to");
            String id = create(Map.of("display_name", "Mover", "external_id", before)).path("id").asText();
            TestGatehouse.Response response = gatehouse.patchJson(ORGS + "/" + id, token, Map.of("external_id", after));
            assertThat(response.status()).isEqualTo(200);
            assertThat(gatehouse.get(ORGS + ":external/" + after, token).json().path("organization").path("id").asText())
                    .isEqualTo(id);
            assertRpcStatus(gatehouse.get(ORGS + ":external/" + before, token), 404, 5, "NOT_FOUND");
        }

        @Test
        void emptyStringsClearOptionalFieldsAndTheMaskClearsMetadata() {
            String id = create(Map.of("display_name", "Clearable", "external_id", unique("clear"),
                    "metadata", Map.of("abc", "def"), "slug", "clear-me")).path("id").asText();
            JsonNode cleared = gatehouse.patchJson(ORGS + "/" + id, token, Map.of("external_id", "", "slug", ""))
                    .json().path("organization");
            assertThat(cleared.has("external_id")).isFalse();
            assertThat(cleared.has("slug")).isFalse();
            assertThat(cleared.path("metadata").path("abc").asText()).as("empty metadata without a mask keeps it").isEqualTo("def");

            JsonNode unmasked = gatehouse.patchJson(ORGS + "/" + id, token, Map.of("metadata", Map.of()))
                    .json().path("organization");
            assertThat(unmasked.path("metadata")).hasSize(1);

            TestGatehouse.Response masked = gatehouse.send("PATCH", ORGS + "/" + id + "?update_mask=metadata", token,
                    "application/json", "{\"metadata\":{}}");
            assertThat(masked.status()).as("%s", masked).isEqualTo(200);
            assertThat(masked.json().path("organization").path("metadata")).isEmpty();
            assertThat(masked.json().path("organization").path("display_name").asText()).isEqualTo("Clearable");
        }

        @Test
        void invalidPatchChangesNothing() {
            JsonNode created = create(Map.of("display_name", "Stable", "metadata", Map.of("key", "value")));
            String id = created.path("id").asText();
            assertInvalidArgument(gatehouse.patchJson(ORGS + "/" + id, token, Map.of("display_name", "x".repeat(201),
                    "metadata", Map.of("new", "value"))), "organization.display_name");
            assertInvalidArgument(gatehouse.patchJson(ORGS + "/" + id, token, Map.of("display_name", "")),
                    "organization.display_name");
            assertThat(get(id)).isEqualTo(created);
        }

        @Test
        void patchToAnExternalIdInUseIs409AndChangesNothing() {
            String taken = unique("taken");
            create(Map.of("display_name", "Holder", "external_id", taken));
            JsonNode other = create(Map.of("display_name", "Other", "external_id", unique("other")));
            TestGatehouse.Response response = gatehouse.patchJson(ORGS + "/" + other.path("id").asText(), token,
                    Map.of("external_id", taken, "display_name", "Renamed"));
            assertRpcStatus(response, 409, 6, "ALREADY_EXISTS");
            assertThat(get(other.path("id").asText())).isEqualTo(other);
        }

        @Test
        void unknownIdIs404() {
            assertRpcStatus(gatehouse.patchJson(ORGS + "/org_10000000000000001", token, Map.of("display_name", "x")),
                    404, 5, "NOT_FOUND");
        }
    }

    @Nested
    class Delete {
        @Test
        void deletedOrganizationIsGone() {
            String externalId = unique("delete");
            String id = create(Map.of("display_name", "Doomed", "external_id", externalId)).path("id").asText();
            TestGatehouse.Response response = gatehouse.delete(ORGS + "/" + id, token);
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            assertThat(response.json()).isEmpty();

            assertRpcStatus(gatehouse.get(ORGS + "/" + id, token), 404, 5, "NOT_FOUND");
            assertRpcStatus(gatehouse.get(ORGS + ":external/" + externalId, token), 404, 5, "NOT_FOUND");
            assertRpcStatus(gatehouse.delete(ORGS + "/" + id, token), 404, 5, "NOT_FOUND");
            assertThat(ids(gatehouse.get(ORGS + "?external_id=" + externalId, token).json().path("organizations"))).isEmpty();
            // The external_id is free again.
            create(Map.of("display_name", "Reborn", "external_id", externalId));
        }
    }

    // ------------------------------------------------------------------ settings

    @Nested
    class Settings {
        @Test
        void featureTogglesAreSetAndKept() {
            String id = create(Map.of("display_name", "Featureful")).path("id").asText();
            TestGatehouse.Response response = gatehouse.patchJson(ORGS + "/" + id + "/settings", token,
                    Map.of("features", List.of(Map.of("name", "sso", "enabled", true), Map.of("name", "dir_sync", "enabled", true))));
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            JsonNode org = response.json().path("organization");
            assertThat(org.path("id").asText()).isEqualTo(id);
            assertThat(features(org)).containsExactly(Map.entry("sso", true), Map.entry("dir_sync", true));
            assertThat(features(get(id))).containsExactly(Map.entry("sso", true), Map.entry("dir_sync", true));

            JsonNode partial = gatehouse.patchJson(ORGS + "/" + id + "/settings", token,
                    Map.of("features", List.of(Map.of("name", "dir_sync", "enabled", false)))).json().path("organization");
            assertThat(features(partial)).containsExactly(Map.entry("sso", true), Map.entry("dir_sync", false));
        }

        @Test
        void unknownFeatureIs400AndChangesNothing() {
            JsonNode created = create(Map.of("display_name", "Unfeatured"));
            String id = created.path("id").asText();
            assertInvalidArgument(gatehouse.patchJson(ORGS + "/" + id + "/settings", token,
                    Map.of("features", List.of(Map.of("name", "sso", "enabled", true), Map.of("name", "teleport", "enabled", true)))),
                    "settings.features.name");
            assertThat(get(id)).isEqualTo(created);
        }

        @Test
        void unknownOrganizationIs404() {
            assertRpcStatus(gatehouse.patchJson(ORGS + "/org_10000000000000002/settings", token,
                    Map.of("features", List.of(Map.of("name", "sso", "enabled", true)))), 404, 5, "NOT_FOUND");
        }

        @Test
        void userManagementMaxAllowedUsersIsSetReadAndCleared() {
            String id = create(Map.of("display_name", "Capped")).path("id").asText();
            String path = ORGS + "/" + id + "/settings/usermanagement";

            TestGatehouse.Response initial = gatehouse.get(path, token);
            assertThat(initial.status()).isEqualTo(200);
            assertThat(fieldNames(initial.json())).containsExactly("settings");
            assertThat(initial.json().path("settings").has("max_allowed_users")).isFalse();

            TestGatehouse.Response set = gatehouse.patchJson(path, token, Map.of("settings", Map.of("max_allowed_users", 5)));
            assertThat(set.status()).as("%s", set).isEqualTo(200);
            assertThat(set.json().path("settings").path("max_allowed_users").asInt()).isEqualTo(5);
            assertThat(gatehouse.get(path, token).json().path("settings").path("max_allowed_users").asInt()).isEqualTo(5);

            JsonNode cleared = gatehouse.patchJson(path, token, Map.of("settings", Map.of())).json();
            assertThat(cleared.path("settings").has("max_allowed_users")).isFalse();
            assertThat(gatehouse.get(path, token).json().path("settings").has("max_allowed_users")).isFalse();
        }

        @Test
        void userManagementRejectsNegativeAndUnknown() {
            String id = create(Map.of("display_name", "Negative")).path("id").asText();
            String path = ORGS + "/" + id + "/settings/usermanagement";
            assertInvalidArgument(gatehouse.patchJson(path, token, Map.of("settings", Map.of("max_allowed_users", -1))),
                    "settings.max_allowed_users");
            assertThat(gatehouse.get(path, token).json().path("settings").has("max_allowed_users")).isFalse();
            assertRpcStatus(gatehouse.get(ORGS + "/org_10000000000000003/settings/usermanagement", token), 404, 5, "NOT_FOUND");
            assertRpcStatus(gatehouse.patchJson(ORGS + "/org_10000000000000003/settings/usermanagement", token,
                    Map.of("settings", Map.of("max_allowed_users", 5))), 404, 5, "NOT_FOUND");
        }
    }

    // ------------------------------------------------------------------ bad input: nothing half-written

    @Nested
    class BadInput {
        static TestGatehouse.TestEnvironment environment;
        static String environmentToken;

        @BeforeAll
        static void isolate() {
            environment = gatehouse.createIsolatedEnvironment();
            environmentToken = gatehouse.accessToken(environment);
        }

        static Stream<Arguments> invalidOrganizations() {
            Map<String, String> elevenPairs = new LinkedHashMap<>();
            for (int i = 0; i < 11; i++) {
                elevenPairs.put("key" + i, "value");
            }
            return Stream.of(
                    Arguments.of("empty display_name", Map.of("display_name", ""), "organization.display_name"),
                    Arguments.of("blank display_name", Map.of("display_name", "   "), "organization.display_name"),
                    Arguments.of("no display_name", Map.of("external_id", "no-name"), "organization.display_name"),
                    Arguments.of("201-character display_name", Map.of("display_name", "x".repeat(201)), "organization.display_name"),
                    Arguments.of("control character in display_name", Map.of("display_name", "bell\u0007"), "organization.display_name"),
                    Arguments.of("11 metadata pairs", Map.of("display_name", "Meta", "metadata", elevenPairs), "organization.metadata"),
                    Arguments.of("2-character metadata key", Map.of("display_name", "Meta", "metadata", Map.of("ab", "v")),
                            "organization.metadata[ab]"),
                    Arguments.of("26-character metadata key", Map.of("display_name", "Meta", "metadata", Map.of("k".repeat(26), "v")),
                            "organization.metadata[" + "k".repeat(26) + "]"),
                    Arguments.of("257-character metadata value", Map.of("display_name", "Meta", "metadata", Map.of("key", "v".repeat(257))),
                            "organization.metadata[key]"),
                    Arguments.of("empty metadata value", Map.of("display_name", "Meta", "metadata", Map.of("key", "")),
                            "organization.metadata[key]"),
                    Arguments.of("256-character external_id", Map.of("display_name", "Ext", "external_id", "e".repeat(256)),
                            "organization.external_id"),
                    Arguments.of("slug with capitals", Map.of("display_name", "Slug", "slug", "Not A Slug"), "organization.slug"),
                    Arguments.of("logo_url not http", Map.of("display_name", "Logo", "logo_url", "ftp://example.com/x.png"),
                            "organization.logo_url"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("invalidOrganizations")
        void invalidCreateIs400WithFieldViolationsAndWritesNothing(String what, Map<String, ?> body, String field) {
            long before = totalSize(environmentToken);
            assertInvalidArgument(gatehouse.postJson(ORGS, environmentToken, body), field);
            assertThat(totalSize(environmentToken)).as("organizations after a rejected create").isEqualTo(before);
        }

        @Test
        void duplicateExternalIdIs409AlreadyExists() {
            String externalId = unique("dup");
            create(environmentToken, Map.of("display_name", "First", "external_id", externalId));
            long before = totalSize(environmentToken);
            JsonNode info = assertRpcStatus(gatehouse.postJson(ORGS, environmentToken,
                    Map.of("display_name", "Second", "external_id", externalId)), 409, 6, "ALREADY_EXISTS");
            assertThat(info.path("validation_error_info").path("field_violations").get(0).path("field").asText())
                    .isEqualTo("external_id");
            assertThat(totalSize(environmentToken)).isEqualTo(before);
        }

        static Stream<Arguments> malformedRequests() {
            return Stream.of(
                    Arguments.of("truncated JSON", "application/json", (Supplier<HttpRequest.BodyPublisher>)
                            () -> HttpRequest.BodyPublishers.ofString("{\"display_name\":")),
                    Arguments.of("not JSON at all", "application/json", (Supplier<HttpRequest.BodyPublisher>)
                            () -> HttpRequest.BodyPublishers.ofString("display_name=Acme")),
                    Arguments.of("a JSON array", "application/json", (Supplier<HttpRequest.BodyPublisher>)
                            () -> HttpRequest.BodyPublishers.ofString("[{\"display_name\":\"Acme\"}]")),
                    Arguments.of("a wrongly typed field", "application/json", (Supplier<HttpRequest.BodyPublisher>)
                            () -> HttpRequest.BodyPublishers.ofString("{\"display_name\":{\"nested\":true}}")),
                    Arguments.of("JSON null", "application/json", (Supplier<HttpRequest.BodyPublisher>)
                            () -> HttpRequest.BodyPublishers.ofString("null")),
                    Arguments.of("text/plain content type", "text/plain", (Supplier<HttpRequest.BodyPublisher>)
                            () -> HttpRequest.BodyPublishers.ofString("{\"display_name\":\"Acme\"}")),
                    Arguments.of("form content type", "application/x-www-form-urlencoded", (Supplier<HttpRequest.BodyPublisher>)
                            () -> HttpRequest.BodyPublishers.ofString("display_name=Acme")),
                    Arguments.of("no content type", null, (Supplier<HttpRequest.BodyPublisher>)
                            () -> HttpRequest.BodyPublishers.ofString("{\"display_name\":\"Acme\"}")),
                    Arguments.of("10 MB body", "application/json", (Supplier<HttpRequest.BodyPublisher>)
                            () -> HttpRequest.BodyPublishers.ofString(tenMegabyteOrganization())));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("malformedRequests")
        void malformedCreateIs4xxRpcStatusAndWritesNothing(String what, String contentType,
                                                            Supplier<HttpRequest.BodyPublisher> body) {
            long before = totalSize(environmentToken);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Authorization", "Bearer " + environmentToken);
            if (contentType != null) {
                headers.put("Content-Type", contentType);
            }
            TestGatehouse.Response response = gatehouse.send("POST", ORGS, headers, body.get());
            assertClientErrorShape(response);
            assertThat(totalSize(environmentToken)).as("organizations after a rejected create").isEqualTo(before);
        }

        @Test
        void tenMegabyteBodyIs413() {
            TestGatehouse.Response response = gatehouse.send("POST", ORGS,
                    Map.of("Authorization", "Bearer " + environmentToken, "Content-Type", "application/json"),
                    HttpRequest.BodyPublishers.ofString(tenMegabyteOrganization()));
            assertThat(response.status()).isEqualTo(413);
            assertClientErrorShape(response);
        }

        @Test
        void malformedPatchesAre4xxAndChangeNothing() {
            JsonNode created = create(environmentToken, Map.of("display_name", "Untouched"));
            String id = created.path("id").asText();
            for (String path : List.of(ORGS + "/" + id, ORGS + "/" + id + "/settings", ORGS + "/" + id + "/settings/usermanagement")) {
                assertClientErrorShape(gatehouse.send("PATCH", path, environmentToken, "application/json", "{\"display_name\":"));
                assertClientErrorShape(gatehouse.send("PATCH", path, environmentToken, "text/plain", "{}"));
                assertClientErrorShape(gatehouse.send("PATCH", path, Map.of("Authorization", "Bearer " + environmentToken,
                        "Content-Type", "application/json"), HttpRequest.BodyPublishers.ofString(tenMegabyteOrganization())));
            }
            TestGatehouse.Response after = gatehouse.get(ORGS + "/" + id, environmentToken);
            assertThat(after.json().path("organization")).isEqualTo(created);
        }

        @Test
        void unsupportedMethodsAre4xx() {
            assertClientErrorShape(gatehouse.send("PUT", ORGS + "/org_10000000000000004", environmentToken, "application/json", "{}"));
            assertClientErrorShape(gatehouse.get("/api/v1/no-such-resource", environmentToken));
        }

        private static String tenMegabyteOrganization() {
            return "{\"display_name\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
        }
    }

    static Map<String, Boolean> features(JsonNode organization) {
        Map<String, Boolean> features = new LinkedHashMap<>();
        Iterator<JsonNode> it = organization.path("settings").path("features").elements();
        it.forEachRemaining(f -> features.put(f.path("name").asText(), f.path("enabled").asBoolean()));
        return features;
    }
}
