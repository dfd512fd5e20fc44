package dev.gatehouse.http.pages;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * Renders the precompiled JTE templates of {@code src/main/jte} (HTML content type: every expression is
 * escaped) into Armeria responses. Pages are never cached and never framed, except the admin portal's.
 */
public final class Pages {
    private final TemplateEngine engine =
            TemplateEngine.createPrecompiled(null, ContentType.Html, null, "dev.gatehouse.http.pages.jte");

    /** Renders {@code template} (a path such as {@code "error.jte"}) with its parameters to a string. */
    public String render(String template, Map<String, Object> parameters) {
        StringOutput output = new StringOutput();
        engine.render(template, parameters, output);
        return output.toString();
    }

    public HttpResponse respond(HttpStatus status, String template, Map<String, Object> parameters) {
        return respond(status, render(template, parameters));
    }

    /** The self-submitting form that carries a SAML message to an identity provider (HTTP-POST binding). */
    public HttpResponse autoPost(PageChrome chrome, String action, Map<String, String> fields) {
        return respond(HttpStatus.OK, render("autopost.jte", Map.of("chrome", chrome, "action", action, "fields", fields)),
                AUTOPOST_SCRIPT_HASH);
    }

    /** The hash of autopost.jte's one script (CSP {@code script-src}): a SAML POST form submits itself. */
    public static final String AUTOPOST_SCRIPT_HASH = "'sha256-eNNrDtrGHgFZ7d+LdjA6BfIn51RkLUYm36wObPAu3Rg='";

    public static HttpResponse respond(HttpStatus status, String html) {
        return respond(status, html, "'none'");
    }

    /** A page that runs only the scripts whose CSP sources are given (e.g. {@link #AUTOPOST_SCRIPT_HASH}). */
    public static HttpResponse respond(HttpStatus status, String html, String scriptSources) {
        return HttpResponse.of(headers(status, scriptSources, "'none'").build(),
                com.linecorp.armeria.common.HttpData.ofUtf8(html));
    }

    /**
     * A page that the CSP sources {@code frameAncestors} may show in a frame (the admin portal, which apps embed;
     * docs/DECISIONS.md D-AP5): no {@code X-Frame-Options}, {@code frame-ancestors} as given. {@code extra} adds
     * headers such as cookies.
     */
    public static HttpResponse respondFramable(HttpStatus status, String html, String scriptSources,
                                               String frameAncestors, ResponseHeaders extra) {
        ResponseHeadersBuilder headers = headers(status, scriptSources, frameAncestors);
        extra.forEach((name, value) -> {
            if (!name.toString().startsWith(":")) {
                headers.add(name, value);
            }
        });
        return HttpResponse.of(headers.build(), com.linecorp.armeria.common.HttpData.ofUtf8(html));
    }

    private static ResponseHeadersBuilder headers(HttpStatus status, String scriptSources, String frameAncestors) {
        ResponseHeadersBuilder headers = ResponseHeaders.builder(status)
                .contentType(MediaType.HTML_UTF_8)
                .add("cache-control", "no-store")
                .add("content-security-policy", "default-src 'none'; script-src " + scriptSources
                        + "; style-src 'unsafe-inline'; img-src https: http: data:; "
                        + "form-action 'self' http: https:; frame-ancestors " + frameAncestors + "; base-uri 'none'")
                .add("referrer-policy", "no-referrer");
        if (frameAncestors.equals("'none'")) {
            headers.add("x-frame-options", "DENY");
        }
        return headers;
    }
}
