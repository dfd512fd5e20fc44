package dev.gatehouse.http.oauth;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.gatehouse.core.wire.WireRequest;
import dev.gatehouse.core.wire.WireResponse;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Converts between Armeria's request/response types and the framework-free wire records. */
public final class WireAdapter {
    private WireAdapter() {}

    static WireRequest toWire(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        Map<String, List<String>> headers = new HashMap<>();
        request.headers().forEach((name, value) ->
                headers.computeIfAbsent(name.toString(), k -> new ArrayList<>()).add(value));
        String scheme = ctx.sessionProtocol().isTls() ? "https" : "http";
        String authority = request.authority() != null ? request.authority() : "localhost";
        InetSocketAddress remote = (InetSocketAddress) ctx.remoteAddress();
        return new WireRequest(request.method().name(), scheme + "://" + authority + request.path(), headers,
                request.contentUtf8(), remote.getAddress().getHostAddress());
    }

    private static final String JSON_UTF_8 = "application/json;charset=utf-8";

    static HttpResponse toArmeria(WireResponse response) {
        // Nearly every answer is JSON: its media type is not parsed again for each one.
        MediaType type = JSON_UTF_8.equals(response.contentType()) ? MediaType.JSON_UTF_8 : MediaType.parse(response.contentType());
        var headers = ResponseHeaders.builder(HttpStatus.valueOf(response.status())).contentType(type);
        response.headers().forEach(headers::set);
        return HttpResponse.of(headers.build(), HttpData.ofUtf8(response.body()));
    }

    /** {@code host:port} of the request, with the port always explicit. */
    public static String authority(ServiceRequestContext ctx, String requestAuthority) {
        boolean tls = ctx.sessionProtocol().isTls();
        String authority = requestAuthority != null ? requestAuthority : "localhost";
        int colon = authority.lastIndexOf(':');
        boolean hasPort = colon > authority.lastIndexOf(']');
        return hasPort ? authority : authority + ":" + (tls ? 443 : 80);
    }
}
