package dev.gatehouse.core.connection;

/** The NameID format asked for in AuthnRequests (SAML 2.0 core §8.3). */
public enum NameIdFormat {
    UNSPECIFIED("urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"),
    EMAIL("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"),
    TRANSIENT("urn:oasis:names:tc:SAML:2.0:nameid-format:transient"),
    PERSISTENT("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent");

    private final String urn;

    NameIdFormat(String urn) {
        this.urn = urn;
    }

    public String urn() {
        return urn;
    }
}
