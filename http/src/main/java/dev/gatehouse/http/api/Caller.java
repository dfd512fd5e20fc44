package dev.gatehouse.http.api;

import dev.gatehouse.core.environment.Environment;
import io.grpc.Context;

/** Who is calling the management API: the environment and the client its token was issued to. */
public record Caller(Environment environment, String clientId) {
    static final Context.Key<Caller> CONTEXT_KEY = Context.key("gatehouse-caller");

    /** The authenticated caller of the current gRPC call (set by {@link ManagementAuthInterceptor}). */
    public static Caller current() {
        Caller caller = CONTEXT_KEY.get();
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller: is ManagementAuthInterceptor installed?");
        }
        return caller;
    }

    public String environmentId() {
        return environment.id();
    }

    /** Runs {@code work} as this caller: for in-process calls of gRPC services made outside a gRPC call. */
    public <T> T callAs(java.util.function.Supplier<T> work) {
        Context mine = Context.current().withValue(CONTEXT_KEY, this);
        Context previous = mine.attach();
        try {
            return work.get();
        } finally {
            mine.detach(previous);
        }
    }
}
