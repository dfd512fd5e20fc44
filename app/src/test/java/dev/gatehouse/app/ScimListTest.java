package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.directory.DirectoryProvider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Listing: filter, sortBy/sortOrder, startIndex/count, attributes/excludedAttributes, POST /.search. */
class ScimListTest {
    private static TestGatehouse gatehouse;
    private static ScimDirectoryFixture dir;
    private static String groupId;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
        dir = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.ONELOGIN);
        String first = null;
        for (String name : new String[] {"delta", "Alpha", "charlie", "bravo", "echo"}) {
            String id = dir.createUser(name + "@list.example").path("id").asText();
            first = first == null ? id : first;
        }
        groupId = dir.create("Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Listers",
                 "members":[{"value":"%s"}]}""".formatted(first)).path("id").asText();
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
    }

    private static JsonNode list(String query) {
        var response = dir.get("/Users?" + query);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.json();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void listWhenSortedAndPagedThenWindowOfSortedResults() {
        JsonNode page = list("sortBy=userName&sortOrder=descending&startIndex=2&count=2");
        assertThat(page.path("totalResults").asInt()).isEqualTo(5);
        assertThat(page.path("startIndex").asInt()).isEqualTo(2);
        assertThat(page.path("itemsPerPage").asInt()).isEqualTo(2);
        assertThat(page.path("Resources")).extracting(r -> r.path("userName").asText())
                .containsExactly("delta@list.example", "charlie@list.example");
        assertThat(list("startIndex=10").path("Resources")).isEmpty();
        assertThat(list("count=0").path("Resources")).isEmpty();
        assertThat(list("count=0").path("totalResults").asInt()).isEqualTo(5);
    }

    @Test
    void listWhenFilterOnGroupsOrComplexThenMatchesOnly() {
        JsonNode inGroup = list("filter=" + encode("groups.value eq \"" + groupId + "\""));
        assertThat(inGroup.path("Resources")).extracting(r -> r.path("userName").asText()).containsExactly("delta@list.example");
        JsonNode either = list("filter=" + encode("(userName sw \"A\" or userName sw \"E\") and not (emails[type eq \"home\"])")
                + "&sortBy=userName");
        assertThat(either.path("Resources")).extracting(r -> r.path("userName").asText())
                .containsExactly("Alpha@list.example", "echo@list.example");
    }

    @Test
    void listWhenAttributesOrExcludedThenProjected() {
        JsonNode only = list("attributes=userName&count=1").path("Resources").get(0);
        assertThat(only.has("id")).isTrue();
        assertThat(only.has("userName")).isTrue();
        assertThat(only.has("emails")).isFalse();
        assertThat(only.has("meta")).isFalse();
        JsonNode without = list("excludedAttributes=emails,name&count=1").path("Resources").get(0);
        assertThat(without.has("emails")).isFalse();
        assertThat(without.has("name")).isFalse();
        assertThat(without.has("userName")).isTrue();
    }

    @Test
    void searchWhenPostedThenSameAsGet() {
        var response = dir.send("POST", "/Users/.search", """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"userName co \\"ravo\\"",
                 "attributes":["userName"],"startIndex":1,"count":10}""");
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.json().path("Resources")).extracting(r -> r.path("userName").asText())
                .containsExactly("bravo@list.example");
        var groups = dir.get("/Groups?filter=" + encode("displayName eq \"LISTERS\"") + "&excludedAttributes=members");
        assertThat(groups.json().path("Resources").get(0).path("id").asText()).isEqualTo(groupId);
        assertThat(groups.json().path("Resources").get(0).has("members")).isFalse();
    }
}
