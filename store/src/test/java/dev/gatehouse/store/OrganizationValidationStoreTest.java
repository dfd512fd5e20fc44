package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.organization.NewOrganization;
import dev.gatehouse.core.organization.RegionCode;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.FieldViolation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Invalid create requests are refused with the right field names, and no row is written, on each database. */
class OrganizationValidationStoreTest {
    private static final String KEY_26 = "k".repeat(26);

    record Invalid(String name, NewOrganization request, List<String> fields, List<String> constraints) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static NewOrganization request(String displayName, Map<String, String> metadata) {
        return new NewOrganization(displayName, RegionCode.US, Optional.empty(), metadata, Optional.empty(), Optional.empty());
    }

    private static NewOrganization withSlug(String slug) {
        return new NewOrganization("Acme", RegionCode.US, Optional.empty(), Map.of(), Optional.of(slug), Optional.empty());
    }

    private static NewOrganization withExternalId(String externalId) {
        return new NewOrganization("Acme", RegionCode.US, Optional.of(externalId), Map.of(), Optional.empty(), Optional.empty());
    }

    private static NewOrganization withLogoUrl(String logoUrl) {
        return new NewOrganization("Acme", RegionCode.US, Optional.empty(), Map.of(), Optional.empty(), Optional.of(logoUrl));
    }

    private static Map<String, String> pairs(int count) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            metadata.put("key" + i, "value" + i);
        }
        return metadata;
    }

    private static Invalid invalid(String name, NewOrganization request, String field, String constraint) {
        return new Invalid(name, request, List.of(field), List.of(constraint));
    }

    static Stream<Invalid> invalidRequests() {
        return Stream.of(
                invalid("display_name empty", request("", Map.of()), "organization.display_name", "string.len"),
                invalid("display_name blank", request("   ", Map.of()), "organization.display_name", "string.len"),
                invalid("display_name 201 chars", request("n".repeat(201), Map.of()), "organization.display_name", "string.len"),
                invalid("display_name control char", request("Acme\u0007", Map.of()), "organization.display_name", "string.pattern"),
                invalid("11 metadata pairs", request("Acme", pairs(11)), "organization.metadata", "map.max_pairs"),
                invalid("metadata key of 2", request("Acme", Map.of("ab", "v")), "organization.metadata[ab]", "map.keys.string.len"),
                invalid("metadata key of 26", request("Acme", Map.of(KEY_26, "v")), "organization.metadata[" + KEY_26 + "]",
                        "map.keys.string.len"),
                invalid("metadata value of 0", request("Acme", Map.of("key", "")), "organization.metadata[key]",
                        "map.values.string.len"),
                invalid("metadata value of 257", request("Acme", Map.of("key", "v".repeat(257))), "organization.metadata[key]",
                        "map.values.string.len"),
                invalid("slug uppercase and underscore", withSlug("Bad_Slug"), "organization.slug", "string.pattern"),
                invalid("slug leading hyphen", withSlug("-acme"), "organization.slug", "string.pattern"),
                invalid("slug trailing hyphen", withSlug("acme-"), "organization.slug", "string.pattern"),
                invalid("slug empty label", withSlug("acme..corp"), "organization.slug", "string.pattern"),
                invalid("slug label of 64", withSlug("a".repeat(64)), "organization.slug", "string.pattern"),
                invalid("slug of 254", withSlug(("a".repeat(62) + ".").repeat(4) + "bb"), "organization.slug", "string.pattern"),
                invalid("slug empty on create", withSlug(""), "organization.slug", "string.pattern"),
                invalid("external_id blank", withExternalId("  "), "organization.external_id", "string.len"),
                invalid("external_id empty on create", withExternalId(""), "organization.external_id", "string.len"),
                invalid("external_id 256 chars", withExternalId("e".repeat(256)), "organization.external_id", "string.len"),
                invalid("external_id control char", withExternalId("ext\n1"), "organization.external_id", "string.pattern"),
                invalid("logo_url not http", withLogoUrl("ftp://cdn.example.com/logo.png"), "organization.logo_url", "string.uri"),
                invalid("logo_url relative", withLogoUrl("/logo.png"), "organization.logo_url", "string.uri"),
                invalid("logo_url 1025 chars", withLogoUrl("https://cdn.example.com/" + "l".repeat(1001)),
                        "organization.logo_url", "string.uri"),
                new Invalid("several fields at once",
                        new NewOrganization("", RegionCode.US, Optional.of(" "), Map.of("ab", ""), Optional.of("NO"),
                                Optional.of("nope")),
                        List.of("organization.display_name", "organization.external_id", "organization.metadata[ab]",
                                "organization.metadata[ab]", "organization.slug", "organization.logo_url"),
                        List.of("string.len", "string.len", "map.keys.string.len", "map.values.string.len",
                                "string.pattern", "string.uri")));
    }

    static Stream<Arguments> kindsAndInvalidRequests() {
        return TestDatabases.kinds().stream()
                .flatMap(kind -> invalidRequests().map(invalid -> Arguments.of(kind, invalid)));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("kindsAndInvalidRequests")
    void createWhenInvalidThenInvalidArgumentWithFieldNamesAndNoRowWritten(String kind, Invalid invalid) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");

            assertThatThrownBy(() -> f.organizations.create(env.id(), invalid.request()))
                    .isInstanceOfSatisfying(DomainException.InvalidArgument.class, e -> {
                        assertThat(e.violations()).extracting(FieldViolation::field)
                                .containsExactlyElementsOf(invalid.fields());
                        assertThat(e.violations()).extracting(FieldViolation::constraint)
                                .containsExactlyElementsOf(invalid.constraints());
                        assertThat(e.getMessage()).isEqualTo(e.violations().getFirst().description());
                    });

            assertThat(f.count("organizations")).isZero();
        }
    }
}
