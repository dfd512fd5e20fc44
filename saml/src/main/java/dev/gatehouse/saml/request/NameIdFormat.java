package dev.gatehouse.saml.request;

import java.util.Arrays;

/** The NameID formats of the API's {@code idp_name_id_format} (shared/spec/spec-sso.md §3.5). */
public enum NameIdFormat {
    UNSPECIFIED("urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"),
    EMAIL("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"),
    TRANSIENT("urn:oasis:names:tc:SAML:2.0:nameid-format:transient"),
    PERSISTENT("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent");

    private final String uri;

    NameIdFormat(String uri) {
        this.uri = uri;
    }

    public String uri() {
        return uri;
    }

    /** The format of an API value ({@code EMAIL}, …). */
    public static NameIdFormat fromSeedName(String value) {
        return Arrays.stream(values()).filter(f -> f.name().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown idp_name_id_format " + value));
    }
}
