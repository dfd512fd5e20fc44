package dev.gatehouse.http.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.UnframedGrpcErrorHandler;
import dev.gatehouse.proto.errdetails.ErrorInfo;
import io.grpc.Status;
import java.util.Base64;

/**
 * Renders {@code google.rpc.Status} as the rpcStatus JSON of the REST surface:
 * {@code {"code":16,"message":"…","details":[{"@type":"type.googleapis.com/scalekit.v1.errdetails.ErrorInfo","error_code":"…"}]}}.
 */
public final class RpcStatusJson implements UnframedGrpcErrorHandler {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder().add(ErrorInfo.getDescriptor()).build())
            .preservingProtoFieldNames()
            .omittingInsignificantWhitespace();

    public static String render(com.google.rpc.Status status) {
        try {
            return PRINTER.print(status);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unprintable status", e);
        }
    }

    public static HttpResponse response(com.google.rpc.Status status) {
        return response(status, null);
    }

    /** With {@code retryAfter} (seconds, from the call's {@code retry-after} trailer) as the Retry-After header when set. */
    public static HttpResponse response(com.google.rpc.Status status, String retryAfter) {
        ResponseHeadersBuilder headers = ResponseHeaders.builder(HttpStatus.valueOf(RpcErrors.httpStatus(status.getCode())))
                .contentType(MediaType.JSON_UTF_8)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store, must-revalidate");
        if (retryAfter != null && retryAfter.matches("[0-9]{1,9}")) {
            headers.set(HttpHeaderNames.RETRY_AFTER, retryAfter);
        }
        return HttpResponse.of(headers.build(), com.linecorp.armeria.common.HttpData.ofUtf8(render(status)));
    }

    /** Answers a transcoded REST call that ended in a gRPC error, keeping the ErrorInfo details. */
    @Override
    public HttpResponse handle(ServiceRequestContext ctx, Status status, AggregatedHttpResponse response) {
        com.google.rpc.Status detailed = detailsOf(response);
        if (detailed == null) {
            Code code = Code.forNumber(status.getCode().value());
            String message = status.getDescription() != null ? status.getDescription() : status.getCode().name();
            if (status.getCode() == Status.Code.INVALID_ARGUMENT && status.getCause() != null) {
                message = "malformed request: " + firstLine(status.getCause().getMessage());
            }
            if (code == Code.INTERNAL || code == Code.UNKNOWN) {
                message = "internal error";
            }
            detailed = RpcErrors.status(code == null ? Code.UNKNOWN : code, message);
        }
        String retryAfter = response.trailers().get("retry-after");
        return response(detailed, retryAfter != null ? retryAfter : response.headers().get("retry-after"));
    }

    private static com.google.rpc.Status detailsOf(AggregatedHttpResponse response) {
        String encoded = response.trailers().get("grpc-status-details-bin");
        if (encoded == null) {
            encoded = response.headers().get("grpc-status-details-bin");
        }
        if (encoded == null) {
            return null;
        }
        try {
            return com.google.rpc.Status.parseFrom(Base64.getDecoder().decode(padded(encoded)));
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String padded(String base64) {
        int remainder = base64.length() % 4;
        return remainder == 0 ? base64 : base64 + "=".repeat(4 - remainder);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid JSON";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
