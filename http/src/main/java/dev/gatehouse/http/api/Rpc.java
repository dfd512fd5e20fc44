package dev.gatehouse.http.api;

import dev.gatehouse.core.shared.DomainException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one unary RPC: the answer on success, the API's error shape on any failure. */
public final class Rpc {
    private static final Logger LOG = LoggerFactory.getLogger(Rpc.class);

    private Rpc() {}

    public static <T> void respond(StreamObserver<T> observer, Supplier<T> work) {
        T answer;
        try {
            answer = work.get();
        } catch (DomainException e) {
            observer.onError(RpcErrors.exception(RpcErrors.fromDomain(e)));
            return;
        } catch (StatusRuntimeException e) {
            observer.onError(e);
            return;
        } catch (RuntimeException e) {
            LOG.error("management call failed", e);
            observer.onError(RpcErrors.exception(RpcErrors.status(com.google.rpc.Code.INTERNAL, "internal error")));
            return;
        }
        observer.onNext(answer);
        observer.onCompleted();
    }
}
