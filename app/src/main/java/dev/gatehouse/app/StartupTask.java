package dev.gatehouse.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Start-up work that needs nothing from the main thread, started at once on its own thread and joined where its
 * result is first needed: the main thread meanwhile waits on the database, and the machine has a second core
 * (docs/DECISIONS.md D-ST4). A failure is thrown again, unchanged, by {@link #join}.
 */
final class StartupTask<T> {
    private final CompletableFuture<T> result = new CompletableFuture<>();

    private StartupTask() {}

    static <T> StartupTask<T> start(String name, Supplier<T> work) {
        StartupTask<T> task = new StartupTask<>();
        Thread.ofPlatform().daemon().name("gatehouse-startup-" + name).start(() -> {
            try {
                task.result.complete(work.get());
            } catch (Throwable failure) {
                task.result.completeExceptionally(failure);
            }
        });
        return task;
    }

    /** The work's result, once it is done; its exception if it failed. */
    T join() {
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
