package dev.gatehouse.http;

import com.google.rpc.Code;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.logging.RequestLogProperty;
import com.linecorp.armeria.server.RequestTimeoutException;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.http.api.RpcStatusJson;
import dev.gatehouse.http.pages.PageChrome;
import dev.gatehouse.http.pages.Pages;
import dev.gatehouse.oauth.endpoint.OAuthError;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors raised by the server itself (a 413 for an oversized body, a 404 for an unknown path, an
 * unexpected exception) answered in the error shape of the surface the path belongs to: rpcStatus
 * JSON under {@code /api/}, RFC 6749 JSON under {@code /oauth/}, RFC 7644 §3.12 SCIM errors under
 * {@code /directory/}, the hosted error page on the pages people see in a browser (sign-in, admin portal, SAML
 * callback, IdP simulator, logout), and a small JSON body elsewhere. Never a stack trace.
 */
final class SurfaceErrorHandler implements ServerErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SurfaceErrorHandler.class);

    private final Pages pages;

    SurfaceErrorHandler(Pages pages) {
        this.pages = pages;
    }

    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        if (cause instanceof com.linecorp.armeria.server.HttpStatusException
                || cause instanceof com.linecorp.armeria.server.HttpResponseException) {
            return null; // Armeria renders these through renderStatus below.
        }
        if (cause instanceof RequestTimeoutException) {
            // The request timed out: 408 when its body never finished arriving (the client's doing, e.g. a
            // Content-Length longer than what was sent), 503 when the server took too long to answer.
            boolean received = ctx.log().isAvailable(RequestLogProperty.REQUEST_END_TIME);
            LOG.info("request timed out on {} {} ({})", ctx.method(), ctx.path(),
                    received ? "while answering" : "before its body arrived");
            return received ? render(ctx.path(), HttpStatus.SERVICE_UNAVAILABLE, "the server did not answer in time")
                    : render(ctx.path(), HttpStatus.REQUEST_TIMEOUT, "the request body did not arrive in time");
        }
        LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), cause);
        return render(ctx.path(), HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
    }

    @Override
    public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, ServiceConfig config, RequestHeaders headers,
                                               HttpStatus status, String description, Throwable cause) {
        String path = headers != null ? headers.path() : (ctx != null ? ctx.path() : "/");
        String message = status == HttpStatus.REQUEST_ENTITY_TOO_LARGE
                ? "request body too large" : status.reasonPhrase();
        return render(path, status, message).aggregate().join();
    }

    private HttpResponse render(String pathAndQuery, HttpStatus status, String message) {
        int query = pathAndQuery.indexOf('?');
        String path = query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
        if (isPage(path)) {
            String heading = status.code() >= 500 ? "Something went wrong" : status.reasonPhrase();
            String text = status.code() >= 500 ? "The server could not complete this request. Try again in a moment."
                    : "The request could not be handled (" + message + ").";
            return pages.respond(status, "error.jte", Map.of("chrome", PageChrome.plain(heading), "heading", heading,
                    "message", text));
        }
        if (path.startsWith("/api/")) {
            Code code = switch (status.code()) {
                case 404 -> Code.NOT_FOUND;
                case 401 -> Code.UNAUTHENTICATED;
                case 403 -> Code.PERMISSION_DENIED;
                case 405, 501 -> Code.UNIMPLEMENTED;
                case 429 -> Code.RESOURCE_EXHAUSTED;
                case 503 -> Code.UNAVAILABLE;
                case 500 -> Code.INTERNAL;
                default -> status.code() >= 400 && status.code() < 500 ? Code.INVALID_ARGUMENT : Code.UNKNOWN;
            };
            var rpcStatus = RpcErrors.status(code, message);
            return HttpResponse.of(ResponseHeaders.builder(status).contentType(MediaType.JSON_UTF_8)
                    .set(com.linecorp.armeria.common.HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store, must-revalidate").build(),
                    HttpData.ofUtf8(RpcStatusJson.render(rpcStatus)));
        }
        if (path.startsWith("/directory/")) {
            return dev.gatehouse.http.scim.ScimRoutes.error(status.code(), message);
        }
        if (path.startsWith("/oauth/")) {
            ErrorObject base = status.code() >= 500 ? OAuth2Error.SERVER_ERROR : OAuth2Error.INVALID_REQUEST;
            var wire = OAuthError.of(base, message).toResponse();
            return HttpResponse.of(ResponseHeaders.builder(status).contentType(MediaType.JSON_UTF_8)
                    .set(com.linecorp.armeria.common.HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store, must-revalidate").build(),
                    HttpData.ofUtf8(wire.body()));
        }
        String json = "{\"error\":\"" + status.code() + "\",\"message\":\"" + message.replace("\"", "'") + "\"}";
        return HttpResponse.of(ResponseHeaders.builder(status).contentType(MediaType.JSON_UTF_8)
                    .set(com.linecorp.armeria.common.HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store, must-revalidate").build(), HttpData.ofUtf8(json));
    }

    /** The paths a browser shows: their errors are HTML pages, not JSON. */
    static boolean isPage(String path) {
        return path.startsWith("/login/") || path.startsWith("/portal/") || path.startsWith("/sso/")
                || path.equals("/oauth/authorize") || path.equals("/oidc/logout") || path.equals("/end_session")
                || path.equals("/_dev/mail");
    }
}
