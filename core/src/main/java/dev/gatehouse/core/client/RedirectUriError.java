package dev.gatehouse.core.client;

/**
 * Why a redirect URI was refused, with the error code Scalekit documents for it (spec-sso §8.1,
 * REDIR-ERR). The code travels in the field violation's {@code constraint} (docs/DECISIONS.md D-C3).
 */
public enum RedirectUriError {
    INVALID_REDIRECT_URI("invalid_redirect_uri"),
    MAX_REDIRECTS_EXCEEDED("max_redirects_exceeded"),
    INVALID_URI_FORMAT("invalid_uri_format"),
    URI_TOO_LONG("uri_too_long"),
    HTTP_NOT_ALLOWED("http_not_allowed"),
    LOCALHOST_NOT_ALLOWED("localhost_not_allowed"),
    WILDCARD_NOT_ALLOWED("wildcard_not_allowed"),
    INVALID_WILDCARD_USAGE("invalid_wildcard_usage"),
    QUERY_PARAMETERS_NOT_ALLOWED("query_parameters_not_allowed"),
    FRAGMENT_NOT_ALLOWED("fragment_not_allowed");

    private final String code;

    RedirectUriError(String code) {
        this.code = code;
    }

    /** The documented code, e.g. {@code uri_too_long}. */
    public String code() {
        return code;
    }
}
