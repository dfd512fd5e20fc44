package dev.gatehouse.oauth.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.login.UserIdentity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IdentitiesClaimTest {
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    private static UserIdentity identity(String connectionId, Optional<String> organizationId, boolean social,
                                         Map<String, String> raw, Instant lastLogin) {
        return new UserIdentity("env_1", "usr_1", connectionId, "subject-" + connectionId, organizationId,
                social ? "OAUTH" : "SAML", social ? "GOOGLE" : "OKTA", social, "ada@acme.example", raw, T0, lastLogin);
    }

    @Test
    void anEnterpriseIdentityHasTheSpecsFieldsAndASocialOneHasNoOrganization() {
        IdentitiesClaim claim = IdentitiesClaim.of(List.of(
                identity("conn_1", Optional.of("org_1"), false, Map.of("employeeNumber", "1729"), T0),
                identity("google", Optional.empty(), true, Map.of("sub", "g-1"), T0.plusSeconds(60))));

        assertThat(claim.value()).hasSize(2);
        Map<String, Object> social = claim.value().get(0);
        assertThat(social).containsEntry("connection_id", "google").containsEntry("social", true)
                .containsEntry("connection_type", "OAUTH").containsEntry("provider_name", "GOOGLE")
                .doesNotContainKey("organization_id");
        Map<String, Object> enterprise = claim.value().get(1);
        assertThat(enterprise).containsEntry("organization_id", "org_1").containsEntry("connection_id", "conn_1")
                .containsEntry("connection_type", "SAML").containsEntry("provider_name", "OKTA")
                .containsEntry("social", false)
                .containsEntry("provider_raw_attributes", Map.of("employeeNumber", "1729"));
    }

    @Test
    void atMostFiveIdentitiesTheMostRecentlyUsedFirst() {
        List<UserIdentity> seven = IntStream.range(0, 7)
                .mapToObj(i -> identity("conn_" + i, Optional.of("org_1"), false, Map.of(), T0.plusSeconds(i)))
                .toList();

        List<Map<String, Object>> value = IdentitiesClaim.of(seven).value();

        assertThat(value).extracting(entry -> entry.get("connection_id"))
                .containsExactly("conn_6", "conn_5", "conn_4", "conn_3", "conn_2");
    }

    @Test
    void rawAttributesStopAtTheBudgetLeavingOutWholeEntriesNeverCuttingOne() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("a_small", "kept");
        raw.put("b_large", "x".repeat(IdentitiesClaim.MAX_RAW_ATTRIBUTES_CHARS));
        raw.put("c_small", "kept too");
        IntStream.range(0, 100).forEach(i -> raw.put("d_" + String.format("%03d", i), "y".repeat(40)));

        @SuppressWarnings("unchecked")
        Map<String, Object> kept = (Map<String, Object>) IdentitiesClaim.of(List.of(
                identity("conn_1", Optional.of("org_1"), false, raw, T0))).value().get(0).get("provider_raw_attributes");

        assertThat(kept).containsEntry("a_small", "kept").containsEntry("c_small", "kept too").doesNotContainKey("b_large");
        assertThat(kept.values()).allSatisfy(v -> assertThat(raw).containsValue((String) v));
        int size = kept.entrySet().stream()
                .mapToInt(e -> e.getKey().length() + ((String) e.getValue()).length() + IdentitiesClaim.ENTRY_OVERHEAD).sum();
        assertThat(size).isLessThanOrEqualTo(IdentitiesClaim.MAX_RAW_ATTRIBUTES_CHARS);
        assertThat(kept.size()).isLessThan(raw.size()).isGreaterThan(30);
    }
}
