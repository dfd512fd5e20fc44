package dev.gatehouse.saml.testing;

import dev.gatehouse.saml.response.IdpCertificates;
import dev.gatehouse.saml.response.SigningRequirement;
import dev.gatehouse.saml.response.ValidationPolicy;
import java.util.List;

/** Policies matching {@link TestIdp}'s defaults. */
public final class TestPolicies {
    public static final String ENVIRONMENT_ID = "env_1";
    public static final String CONNECTION_ID = "conn_1";

    private TestPolicies() {}

    /** SP-initiated, expecting {@link TestIdp#REQUEST_ID}, signed assertion required, the IdP's one certificate. */
    public static ValidationPolicy.Builder spInitiated() {
        return ValidationPolicy.builder(ENVIRONMENT_ID, CONNECTION_ID)
                .spEntityId(TestIdp.SP_ENTITY_ID)
                .acsUrl(TestIdp.ACS_URL)
                .idpEntityId(TestIdp.ENTITY_ID)
                .idpCertificates(IdpCertificates.of(List.of(TestKeys.IDP.certificate())))
                .signing(SigningRequirement.ASSERTION)
                .expectedInResponseTo(TestIdp.REQUEST_ID)
                .decryptionKeys(List.of(TestKeys.SP.privateKey()));
    }
}
