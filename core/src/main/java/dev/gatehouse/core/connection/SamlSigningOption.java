package dev.gatehouse.core.connection;

/**
 * Which signatures a SAML response must carry (spec-sso.md R-SSO-52). {@link #NO_SIGNING} is accepted only on
 * connections with {@code debug_enabled} (docs/DECISIONS.md D-CN4).
 */
public enum SamlSigningOption {
    NO_SIGNING,
    RESPONSE_ONLY,
    ASSERTION_ONLY,
    RESPONSE_AND_ASSERTION,
    RESPONSE_OR_ASSERTION
}
