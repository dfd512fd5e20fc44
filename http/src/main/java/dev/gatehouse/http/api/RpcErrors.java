package dev.gatehouse.http.api;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.FieldViolation;
import dev.gatehouse.proto.errdetails.ErrorInfo;
import dev.gatehouse.proto.errdetails.ValidationErrorInfo;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import java.util.List;

/**
 * The management API's one error shape: a {@code google.rpc.Status} whose details hold a
 * {@code scalekit.v1.errdetails.ErrorInfo}. gRPC callers get it in {@code grpc-status-details-bin};
 * REST callers get it as rpcStatus JSON (see {@link RpcStatusJson}).
 */
public final class RpcErrors {
    public static final Metadata.Key<com.google.rpc.Status> STATUS_DETAILS_KEY =
            Metadata.Key.of("grpc-status-details-bin", ProtoUtils.metadataMarshaller(com.google.rpc.Status.getDefaultInstance()));

    private RpcErrors() {}

    public static com.google.rpc.Status status(Code code, String message) {
        return status(code, message, List.of());
    }

    public static com.google.rpc.Status status(Code code, String message, List<FieldViolation> violations) {
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setErrorCode(code.name());
        if (!violations.isEmpty()) {
            ValidationErrorInfo.Builder validation = ValidationErrorInfo.newBuilder();
            for (FieldViolation v : violations) {
                validation.addFieldViolations(ValidationErrorInfo.FieldViolation.newBuilder()
                        .setField(v.field()).setDescription(v.description()).setConstraint(v.constraint()));
            }
            info.setValidationErrorInfo(validation);
        }
        return com.google.rpc.Status.newBuilder()
                .setCode(code.getNumber())
                .setMessage(message)
                .addDetails(Any.pack(info.build()))
                .build();
    }

    public static StatusRuntimeException exception(com.google.rpc.Status status) {
        return StatusProto.toStatusRuntimeException(status);
    }

    public static StatusRuntimeException invalidArgument(String field, String description, String constraint) {
        return exception(status(Code.INVALID_ARGUMENT, description, List.of(new FieldViolation(field, description, constraint))));
    }

    /** {@code value} when it has 1 to {@code maxLength} characters; INVALID_ARGUMENT naming {@code field} otherwise. */
    public static String requiredText(String field, String value, int maxLength) {
        if (value == null || value.isEmpty() || value.length() > maxLength) {
            throw invalidArgument(field, field + " must be between 1 and " + maxLength + " characters", "string.len");
        }
        return value;
    }

    public static StatusRuntimeException notFound(String message) {
        return exception(status(Code.NOT_FOUND, message));
    }

    public static StatusRuntimeException unimplemented(String message) {
        return exception(status(Code.UNIMPLEMENTED, message));
    }

    /** Maps a use case's failure onto the status the API answers with. */
    public static com.google.rpc.Status fromDomain(DomainException failure) {
        return switch (failure) {
            case DomainException.NotFound e -> status(Code.NOT_FOUND, e.getMessage());
            case DomainException.AlreadyExists e -> status(Code.ALREADY_EXISTS, e.getMessage(),
                    List.of(new FieldViolation(e.field(), e.getMessage(), "unique")));
            case DomainException.InvalidArgument e -> status(Code.INVALID_ARGUMENT, e.getMessage(), e.violations());
            case DomainException.FailedPrecondition e -> status(Code.FAILED_PRECONDITION, e.getMessage());
        };
    }

    /** The HTTP status a gRPC code is answered with over REST (grpc-gateway's table). */
    public static int httpStatus(int grpcCode) {
        Code code = Code.forNumber(grpcCode);
        if (code == null) {
            return 500;
        }
        return switch (code) {
            case OK -> 200;
            case CANCELLED -> 499;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case UNAUTHENTICATED -> 401;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            default -> 500;
        };
    }
}
