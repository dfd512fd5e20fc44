package dev.gatehouse.http.api;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.util.AttributeKey;

/**
 * REST callers of a create RPC get {@code 201 Created}, as the swagger documents; gRPC callers are
 * unaffected. A handler marks its answer with {@link #markCreated()}.
 */
public final class RestStatus implements DecoratingHttpServiceFunction {
    private static final AttributeKey<Boolean> CREATED = AttributeKey.valueOf(RestStatus.class, "CREATED");

    public static void markCreated() {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        if (ctx != null) {
            ctx.setAttr(CREATED, Boolean.TRUE);
        }
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, com.linecorp.armeria.common.HttpRequest req)
            throws Exception {
        HttpResponse response = delegate.serve(ctx, req);
        MediaType contentType = req.contentType();
        if (contentType != null && contentType.subtype().startsWith("grpc")) {
            return response;
        }
        return response.mapHeaders(headers -> Boolean.TRUE.equals(ctx.attr(CREATED)) && headers.status() == HttpStatus.OK
                ? headers.toBuilder().status(HttpStatus.CREATED).build()
                : headers);
    }
}
