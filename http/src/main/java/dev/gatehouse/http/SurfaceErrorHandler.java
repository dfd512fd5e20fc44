package dev.gatehouse.http;

import com.google.rpc.Code;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.http.api.RpcStatusJson;
import dev.gatehouse.oauth.endpoint.OAuthError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors raised by the server itself (a 413 for an oversized body, a 404 for an unknown path, an
 * unexpected exception) answered in the error shape of the surface the path belongs to: rpcStatus
 * JSON under {@code /api/}, RFC 6749 JSON under {@code /oauth/}, RFC 7644 §3.12 SCIM errors under
 * {@code /directory/}, and a small JSON body elsewhere.
 * Never a stack trace.
 */
final class SurfaceErrorHandler implements ServerErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SurfaceErrorHandler.class);

    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        if (cause instanceof com.linecorp.armeria.server.HttpStatusException
                || cause instanceof com.linecorp.armeria.server.HttpResponseException) {
            return null; // Armeria renders these through renderStatus below.
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

    private static HttpResponse render(String path, HttpStatus status, String message) {
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
}
