package dev.gatehouse.http.api;

import com.google.rpc.Code;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Admits a gRPC (or transcoded REST) management call through {@link ManagementAuthenticator};
 * otherwise answers UNAUTHENTICATED (16) with an ErrorInfo detail, which the official SDK's lazy
 * handshake relies on. Runs on the blocking executor (the services use useBlockingTaskExecutor).
 */
public final class ManagementAuthInterceptor implements ServerInterceptor {
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagementAuthenticator authenticator;

    public ManagementAuthInterceptor(ManagementAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        var decision = authenticator.authenticate(headers.get(AUTHORIZATION),
                call.getMethodDescriptor().getFullMethodName(), remoteAddress());
        if (decision instanceof ManagementAuthenticator.Decision.Refused refused) {
            Metadata trailers = new Metadata();
            trailers.put(RpcErrors.STATUS_DETAILS_KEY, RpcErrors.status(Code.UNAUTHENTICATED, refused.message()));
            call.close(Status.UNAUTHENTICATED.withDescription(refused.message()), trailers);
            return new ServerCall.Listener<>() {};
        }
        Caller caller = ((ManagementAuthenticator.Decision.Admitted) decision).caller();
        Context context = Context.current().withValue(Caller.CONTEXT_KEY, caller);
        return Contexts.interceptCall(context, call, headers, next);
    }

    /** The remote IP of the current request, if any (for audit records). */
    public static Optional<String> remoteAddress() {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        if (ctx != null && ctx.remoteAddress() instanceof InetSocketAddress address) {
            return Optional.of(address.getAddress().getHostAddress());
        }
        return Optional.empty();
    }
}
