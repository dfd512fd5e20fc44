package dev.gatehouse.saml.response;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.saml.testing.RecordingReplayCache;
import dev.gatehouse.saml.testing.TestIdp;
import dev.gatehouse.saml.testing.TestPolicies;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The whole negative corpus again with an RSA-SHA256 provider handed to the validator (as the app hands it OpenSSL's,
 * D-AC5): every refusal must stay the same; and a valid response is verified through that provider.
 */
class SamlNegativeCorpusWithProviderTest extends SamlNegativeCorpusTest {
    private CountingRsaProvider provider;

    @Override
    SamlResponseValidator validator(RecordingReplayCache cache) {
        provider = new CountingRsaProvider();
        return new SamlResponseValidator(cache, Optional.of(provider));
    }

    @Test
    void validateWhenRsaSha256SignedThenTheGivenProviderChecksTheSignatureValue() {
        RecordingReplayCache cache = new RecordingReplayCache();
        SamlResponseValidator validator = validator(cache);
        String response = TestIdp.response(NOW).build().signAssertion().encode();

        SamlValidation result = validator.validate(response, TestPolicies.spInitiated().build(), NOW);

        assertThat(result).isInstanceOf(ValidatedAssertion.class);
        assertThat(provider.verifications).hasValue(1);
        assertThat(cache.uses()).hasSize(1);
    }
}
