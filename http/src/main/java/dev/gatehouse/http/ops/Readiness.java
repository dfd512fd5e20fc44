package dev.gatehouse.http.ops;

import java.util.function.BooleanSupplier;

/** Whether the node may take traffic: set once start-up (migrations, bootstrap) is done, cleared at shutdown. */
public final class Readiness {
    private volatile boolean ready;
    private final BooleanSupplier databaseHealthy;

    public Readiness(BooleanSupplier databaseHealthy) {
        this.databaseHealthy = databaseHealthy;
    }

    public void markReady() {
        ready = true;
    }

    public void markNotReady() {
        ready = false;
    }

    public boolean isReady() {
        return ready && databaseHealthy.getAsBoolean();
    }
}
