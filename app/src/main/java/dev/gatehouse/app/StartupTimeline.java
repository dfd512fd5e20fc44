package dev.gatehouse.app;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Where start-up time goes: each phase's end, in milliseconds since the JVM started, written on one log line when
 * the server is ready (docs/DECISIONS.md D-ST1). Only the starting thread marks phases.
 */
final class StartupTimeline {
    private final List<Phase> phases = new ArrayList<>();

    /** One finished phase: its name and when it ended, in ms of JVM uptime. */
    record Phase(String name, long endMillis) {}

    /** Records that {@code name} ended now. */
    void mark(String name) {
        phases.add(new Phase(name, uptimeMillis()));
    }

    List<Phase> phases() {
        return List.copyOf(phases);
    }

    /** "jvm 312 ms, database 1200 ms (+888), ...": each phase's end and its own duration. */
    String summary() {
        StringJoiner line = new StringJoiner(", ");
        long previous = 0;
        for (Phase phase : phases) {
            line.add(phase.name() + " " + phase.endMillis() + " ms (+" + (phase.endMillis() - previous) + ")");
            previous = phase.endMillis();
        }
        return line.toString();
    }

    static long uptimeMillis() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }
}
