package dev.gatehouse.app;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Initialises the HTTP server's classes on a second thread while the main one opens the database: Armeria's flags
 * and event loop support, and the gRPC service builder (whose JSON error handler generates its marshaller). Nothing
 * here is used; the main thread finds the classes ready, or waits for their initialisation to finish
 * (docs/DECISIONS.md D-ST4).
 */
final class StartupWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(StartupWarmup.class);

    private StartupWarmup() {}

    static void begin() {
        Thread.ofPlatform().daemon().name("gatehouse-startup-warmup").start(StartupWarmup::serverClasses);
    }

    private static void serverClasses() {
        try {
            Server.builder();
            GrpcService.builder();
        } catch (RuntimeException | LinkageError e) {
            // The main thread builds the same classes and reports what is wrong.
            LOG.debug("start-up warm-up failed", e);
        }
    }
}
