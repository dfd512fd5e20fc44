package dev.gatehouse.core.shared;

/** The wire prefixes of Scalekit IDs (shared/spec/spec-api.md §3.3). */
public enum IdPrefix {
    ENVIRONMENT("env_"),
    ORGANIZATION("org_"),
    ENVIRONMENT_CLIENT("skc_"),
    CLIENT_SECRET("sks_"),
    SIGNING_KEY("snk_"),
    TOKEN("tkn_"),
    USER("usr_"),
    ROLE("role_"),
    EVENT("evt_"),
    WEBHOOK_ENDPOINT("whe_"),
    DIRECTORY("dir_"),
    DIRECTORY_SECRET("sec_"),
    DIRECTORY_USER("diruser_"),
    DIRECTORY_GROUP("dirgroup_"),
    SESSION("ses_"),
    LOGIN("lgn_"),
    GRANT("grt_"),
    ORGANIZATION_CLIENT("m2morg_"),
    CONNECTION("conn_"),
    DOMAIN("dom_"),
    IDP_CERTIFICATE("cert_"),
    SP_CERTIFICATE("cer_"),
    AUDIT_RECORD("aud_"),
    PORTAL_LINK("lnk_"),
    PORTAL_SESSION("pss_"),
    CONNECTION_TEST("test_");

    private final String wire;

    IdPrefix(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean matches(String id) {
        return id != null && id.startsWith(wire) && id.length() > wire.length();
    }
}
