package dev.gatehouse.http.api.passwordless;

import com.google.rpc.Code;
import dev.gatehouse.core.passwordless.PasswordlessIntent;
import dev.gatehouse.core.passwordless.PasswordlessOrigin;
import dev.gatehouse.core.passwordless.PasswordlessService;
import dev.gatehouse.core.passwordless.SendPasswordless;
import dev.gatehouse.core.passwordless.SendResult;
import dev.gatehouse.core.passwordless.VerifyResult;
import dev.gatehouse.core.ratelimit.RateLimiter;
import dev.gatehouse.core.shared.FieldViolation;
import dev.gatehouse.http.api.Caller;
import dev.gatehouse.http.api.ManagementAuthInterceptor;
import dev.gatehouse.http.api.Rpc;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.proto.passwordless.PasswordlessServiceGrpc;
import dev.gatehouse.proto.passwordless.PasswordlessType;
import dev.gatehouse.proto.passwordless.ResendPasswordlessRequest;
import dev.gatehouse.proto.passwordless.SendPasswordlessRequest;
import dev.gatehouse.proto.passwordless.SendPasswordlessResponse;
import dev.gatehouse.proto.passwordless.TemplateType;
import dev.gatehouse.proto.passwordless.VerifyPasswordLessRequest;
import dev.gatehouse.proto.passwordless.VerifyPasswordLessResponse;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code scalekit.v1.auth.passwordless.PasswordlessService} over gRPC and REST
 * ({@code POST /api/v1/passwordless/email/send|resend|verify}). Refusals become rpcStatus errors:
 * rate limits and dead requests RESOURCE_EXHAUSTED (429, with {@code retry-after} when it applies),
 * a bad code or link INVALID_ARGUMENT (400), an unknown request on resend NOT_FOUND, an SMTP failure UNAVAILABLE.
 */
public final class PasswordlessGrpcService extends PasswordlessServiceGrpc.PasswordlessServiceImplBase {
    /** gRPC metadata (and, over REST, the HTTP header) telling a rate-limited caller when to come back. */
    public static final Metadata.Key<String> RETRY_AFTER = Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

    private final PasswordlessService passwordless;

    public PasswordlessGrpcService(PasswordlessService passwordless) {
        this.passwordless = passwordless;
    }

    @Override
    public void sendPasswordlessEmail(SendPasswordlessRequest request, StreamObserver<SendPasswordlessResponse> observer) {
        Rpc.respond(observer, () -> {
            Optional<PasswordlessIntent> intent = intent(request);
            SendPasswordless send = SendPasswordless.headless(request.getEmail(), intent,
                    request.hasMagiclinkAuthUri() ? Optional.of(request.getMagiclinkAuthUri()) : Optional.empty(),
                    request.hasState() ? Optional.of(request.getState()) : Optional.empty(),
                    request.hasExpiresIn() ? Optional.of(Duration.ofSeconds(Integer.toUnsignedLong(request.getExpiresIn())))
                            : Optional.empty(),
                    request.getTemplateVariablesMap());
            return sent(passwordless.send(Caller.current().environmentId(), send, origin()));
        });
    }

    @Override
    public void resendPasswordlessEmail(ResendPasswordlessRequest request, StreamObserver<SendPasswordlessResponse> observer) {
        Rpc.respond(observer, () -> sent(passwordless.resend(Caller.current().environmentId(), request.getAuthRequestId(),
                origin())));
    }

    @Override
    public void verifyPasswordlessEmail(VerifyPasswordLessRequest request, StreamObserver<VerifyPasswordLessResponse> observer) {
        Rpc.respond(observer, () -> {
            String environmentId = Caller.current().environmentId();
            Optional<String> authRequestId = request.hasAuthRequestId() ? Optional.of(request.getAuthRequestId())
                    : Optional.empty();
            VerifyResult result = switch (request.getAuthCredentialCase()) {
                case LINK_TOKEN -> passwordless.verifyLink(environmentId, request.getLinkToken(), authRequestId, origin());
                case CODE -> passwordless.verifyCode(environmentId, authRequestId.orElse(null), request.getCode(), origin());
                case AUTHCREDENTIAL_NOT_SET -> passwordless.verifyCode(environmentId, authRequestId.orElse(null), null,
                        origin());
            };
            return switch (result) {
                case VerifyResult.Verified v -> {
                    var response = VerifyPasswordLessResponse.newBuilder().setEmail(v.email())
                            .setPasswordlessType(PasswordlessType.valueOf(v.type().name()));
                    v.state().ifPresent(response::setState);
                    v.intent().ifPresent(i -> response.setTemplate(TemplateType.valueOf(i.name())));
                    yield response.build();
                }
                case VerifyResult.Rejected r -> throw rejected(r);
            };
        });
    }

    private static Optional<PasswordlessIntent> intent(SendPasswordlessRequest request) {
        if (!request.hasTemplate()) {
            return Optional.empty();
        }
        return switch (request.getTemplate()) {
            case SIGNIN -> Optional.of(PasswordlessIntent.SIGNIN);
            case SIGNUP -> Optional.of(PasswordlessIntent.SIGNUP);
            case UNSPECIFIED -> Optional.empty();
            case UNRECOGNIZED -> throw RpcErrors.invalidArgument("template", "template must be SIGNIN or SIGNUP",
                    "enum.defined_only");
        };
    }

    private static SendPasswordlessResponse sent(SendResult result) {
        return switch (result) {
            case SendResult.Sent s -> SendPasswordlessResponse.newBuilder()
                    .setAuthRequestId(s.authRequestId())
                    .setExpiresAt(s.expiresAt().getEpochSecond())
                    .setExpiresIn((int) s.expiresIn().toSeconds())
                    .setPasswordlessType(PasswordlessType.valueOf(s.type().name()))
                    .build();
            case SendResult.Refused r -> throw refused(r);
        };
    }

    private static StatusRuntimeException refused(SendResult.Refused refused) {
        Code code = switch (refused.failure()) {
            case RATE_LIMITED, TOO_MANY_ATTEMPTS -> Code.RESOURCE_EXHAUSTED;
            case UNKNOWN_REQUEST -> Code.NOT_FOUND;
            case ALREADY_VERIFIED, MAIL_NOT_CONFIGURED -> Code.FAILED_PRECONDITION;
            case MAIL_FAILED -> Code.UNAVAILABLE;
        };
        Metadata trailers = new Metadata();
        if (refused.failure() == SendResult.Failure.RATE_LIMITED) {
            trailers.put(RETRY_AFTER, Long.toString(RateLimiter.Decision.refused(refused.retryAfter()).retryAfterSeconds()));
        }
        return StatusProto.toStatusRuntimeException(RpcErrors.status(code, refused.message()), trailers);
    }

    private static StatusRuntimeException rejected(VerifyResult.Rejected rejected) {
        if (rejected.failure() == VerifyResult.Failure.TOO_MANY_ATTEMPTS) {
            return RpcErrors.exception(RpcErrors.status(Code.RESOURCE_EXHAUSTED, rejected.message()));
        }
        String field = switch (rejected.failure()) {
            case WRONG_CODE, WRONG_METHOD -> "code";
            case INVALID_LINK -> "link_token";
            case UNKNOWN_REQUEST, SAME_BROWSER_REQUIRED, WRONG_BROWSER -> "auth_request_id";
            default -> "";
        };
        return RpcErrors.exception(RpcErrors.status(Code.INVALID_ARGUMENT, rejected.message(), field.isEmpty() ? List.of()
                : List.of(new FieldViolation(field, rejected.message(), rejected.failure().name().toLowerCase(java.util.Locale.ROOT)))));
    }

    private static PasswordlessOrigin origin() {
        return new PasswordlessOrigin(Optional.of(Caller.current().clientId()), ManagementAuthInterceptor.remoteAddress());
    }
}
