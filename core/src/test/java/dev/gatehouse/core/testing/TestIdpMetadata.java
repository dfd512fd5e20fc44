package dev.gatehouse.core.testing;

/** IdP metadata documents shaped like those Okta, Entra ID and Keycloak publish (shared through the core test-jar). */
public final class TestIdpMetadata {
    private TestIdpMetadata() {}

    public static String keyDescriptor(String use, String pem) {
        return "<md:KeyDescriptor" + (use == null ? "" : " use=\"" + use + "\"") + ">"
                + "<ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:X509Data><ds:X509Certificate>\n"
                + TestCertificates.body(pem) + "\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>";
    }

    public static String idp(String entityId, String keyDescriptors) {
        return idp(entityId, keyDescriptors, "");
    }

    public static String idp(String entityId, String keyDescriptors, String attributes) {
        return "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"" + entityId + "\"" + attributes + ">"
                + "<md:IDPSSODescriptor WantAuthnRequestsSigned=\"true\" protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
                + keyDescriptors
                + "<md:SingleLogoutService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"https://idp.example.test/slo\"/>"
                + "<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>"
                + "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"https://idp.example.test/sso/post\"/>"
                + "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"https://idp.example.test/sso/redirect\"/>"
                + "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:SOAP\" Location=\"https://idp.example.test/soap\"/>"
                + "</md:IDPSSODescriptor></md:EntityDescriptor>";
    }

    /** An IdP in the middle of a certificate rollover: two signing keys, plus an encryption key that is not one. */
    public static String rollover() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + idp("https://idp.example.test/entity",
                keyDescriptor("signing", TestCertificates.IDP_1) + keyDescriptor(null, TestCertificates.IDP_2)
                        + keyDescriptor("encryption", TestCertificates.EXPIRED) + keyDescriptor("signing", TestCertificates.IDP_1));
    }
}
