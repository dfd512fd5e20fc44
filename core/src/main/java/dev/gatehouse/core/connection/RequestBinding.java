package dev.gatehouse.core.connection;

/** How an AuthnRequest (or LogoutRequest) travels to the IdP (SAML 2.0 bindings §3.4 and §3.5). */
public enum RequestBinding {
    HTTP_POST("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"),
    HTTP_REDIRECT("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect");

    private final String urn;

    RequestBinding(String urn) {
        this.urn = urn;
    }

    public String urn() {
        return urn;
    }
}
