package dev.gatehouse.http;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpStatusException;

/**
 * A status the server answers without a body of its own (a wrong method, an unknown host): the response fails with
 * {@link HttpStatusException}, so that {@link SurfaceErrorHandler} renders it in the error shape of the path's surface
 * (rpcStatus, OAuth JSON, SCIM error, hosted error page), like every status Armeria itself raises.
 */
public final class SurfaceStatus {
    private SurfaceStatus() {}

    public static HttpResponse of(HttpStatus status) {
        return HttpResponse.ofFailure(HttpStatusException.of(status));
    }
}
