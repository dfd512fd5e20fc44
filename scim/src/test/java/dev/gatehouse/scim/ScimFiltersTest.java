package dev.gatehouse.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScimFiltersTest {
    private static final ObjectNode BOB = (ObjectNode) json("""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"diruser_1","externalId":"Ext-1",
             "userName":"Bob.Smith@Example.com","active":true,"title":"Engineer",
             "name":{"givenName":"Bob","familyName":"Smith"},
             "emails":[{"value":"bob@work.example","type":"work","primary":true},{"value":"bob@home.example","type":"home"}],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D","employeeNumber":"42"},
             "meta":{"lastModified":"2025-06-01T12:00:00Z"}}""");

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return ScimJson.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "userName eq \"bob.smith@example.com\"|true",
            "userName eq \"alice@example.com\"|false",
            "userName ne \"alice@example.com\"|true",
            "userName co \"SMITH\"|true",
            "userName sw \"bob\"|true",
            "userName ew \".com\"|true",
            "title pr|true",
            "nickName pr|false",
            "name.givenName eq \"bob\"|true",
            "name.familyName sw \"X\"|false",
            "emails[type eq \"work\" and primary eq true]|true",
            "emails[type eq \"home\" and primary eq true]|false",
            "emails.value eq \"BOB@HOME.example\"|true",
            "active eq true and (title eq \"engineer\" or title eq \"manager\")|true",
            "not (active eq true)|false",
            "not (userName eq \"x\") and active eq true|true",
            "userName eq \"x\" or name.givenName eq \"Bob\"|true",
            "meta.lastModified gt \"2025-01-01T00:00:00Z\"|true",
            "meta.lastModified lt \"2025-01-01T00:00:00Z\"|false",
            "meta.lastModified ge \"2025-06-01T12:00:00Z\"|true",
            "meta.lastModified le \"2025-06-01T12:00:00Z\"|true",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"r&d\"|true",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber gt \"41\"|true",
            "externalId eq \"Ext-1\"|true",
            "externalId eq \"ext-1\"|false",
            "id eq \"DIRUSER_1\"|false",
            "USERNAME Eq \"Bob.Smith@Example.com\"|true"
    })
    void matchesWhenFilterEvaluatedThenAsRfc7644Says(String filter, boolean expected) {
        assertThat(ScimFilters.matches(ScimFilters.parse(filter), BOB)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"userName eq", "userName xx \"a\"", "(userName eq \"a\"",
            "userName eq \"a\" and", "\"a\" eq userName", "userName eq 'a'", "not userName eq \"a\""})
    void parseWhenFilterMalformedThenInvalidFilter(String filter) {
        assertThatThrownBy(() -> ScimFilters.parse(filter)).isInstanceOfSatisfying(ScimProblem.class, p -> {
            assertThat(p.status()).isEqualTo(400);
            assertThat(p.scimType()).isEqualTo("invalidFilter");
        });
    }

    /** Property: for any input, parsing (and evaluating what parses) succeeds or is a SCIM 400 — never anything else. */
    @Test
    void parseWhenRandomStringsThenOnlyScim400() {
        Random random = new Random(20250601L);
        String[] atoms = {"userName", "emails", "[", "]", "(", ")", " ", "eq", "ne", "co", "sw", "ew", "pr", "gt", "ge",
                "lt", "le", "and", "or", "not", "\"", "\\", ".", ":", "urn:ietf:params:scim:schemas:core:2.0:User",
                "true", "false", "null", "1.5e3", "-", "\u0000", "é", "😀", "value", "type", "\"x\"", "$ref", ","};
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder input = new StringBuilder();
            int length = random.nextInt(16);
            for (int j = 0; j < length; j++) {
                if (random.nextInt(5) == 0) {
                    input.append((char) random.nextInt(0x3000));
                } else {
                    input.append(atoms[random.nextInt(atoms.length)]);
                }
                if (random.nextBoolean()) {
                    input.append(' ');
                }
            }
            try {
                var filter = ScimFilters.parse(input.toString());
                ScimFilters.matches(filter, BOB);
                parsed++;
            } catch (ScimProblem problem) {
                assertThat(problem.status()).as("input %s", input).isEqualTo(400);
            }
        }
        assertThat(parsed).as("some random inputs are valid filters").isPositive();
    }

    @Test
    void parseWhenDeeplyNestedOrHugeThenScim400() {
        String nested = "(".repeat(5000) + "userName eq \"a\"" + ")".repeat(5000);
        assertThatThrownBy(() -> ScimFilters.parse(nested)).isInstanceOf(ScimProblem.class);
        String deep = "(".repeat(1500) + "userName eq \"a\"" + ")".repeat(1500);
        try {
            ScimFilters.parse(deep);
        } catch (ScimProblem problem) {
            assertThat(problem.status()).isEqualTo(400);
        }
    }

    @Test
    void comparatorWhenSortByCaseInsensitiveAttributeThenIgnoresCase() {
        List<ObjectNode> users = new ArrayList<>();
        for (String name : List.of("charlie", "Alice", "bob")) {
            users.add(ScimJson.NODES.objectNode().put("userName", name));
        }
        users.add(ScimJson.NODES.objectNode());
        users.sort(ScimFilters.comparator("userName", false));
        assertThat(users).extracting(n -> n.path("userName").asText("-")).containsExactly("Alice", "bob", "charlie", "-");
        users.sort(ScimFilters.comparator("userName", true));
        assertThat(users).extracting(n -> n.path("userName").asText("-")).containsExactly("charlie", "bob", "Alice", "-");
    }

    @Test
    void projectWhenAttributesOrExcludedThenOnlyThoseAndIdAlways() {
        ObjectNode only = ScimJson.project(BOB, Optional.of("userName,name.givenName,emails.value,"
                + "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"), Optional.empty(), ScimSchemas.USER);
        assertThat(only.toString()).isEqualTo(json("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"diruser_1","userName":"Bob.Smith@Example.com",
                 "name":{"givenName":"Bob"},"emails":[{"value":"bob@work.example"},{"value":"bob@home.example"}],
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D"}}""").toString());
        ObjectNode without = ScimJson.project(BOB, Optional.empty(), Optional.of("emails,name.familyName,id"), ScimSchemas.USER);
        assertThat(without.has("emails")).isFalse();
        assertThat(without.path("name").has("familyName")).isFalse();
        assertThat(without.path("name").path("givenName").asText()).isEqualTo("Bob");
        assertThat(without.path("id").asText()).isEqualTo("diruser_1");
        assertThatThrownBy(() -> ScimJson.project(BOB, Optional.of("emails[type"), Optional.empty(), ScimSchemas.USER))
                .isInstanceOfSatisfying(ScimProblem.class, p -> assertThat(p.scimType()).isEqualTo("invalidPath"));
    }
}
