package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupTrainingTest {
    @Test
    void startsServesTheFirstRequestsAndStops() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int status = StartupTraining.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(status).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("answers [200, 200, 200, 200, 201, 200]");
    }

    @Test
    void usesItsOwnH2DatabaseOnALoopbackPort(@TempDir Path directory) {
        GatehouseConfig config = StartupTraining.config(directory, 18_123, "secret-0123456789abcdef");

        assertThat(config.databaseUrl()).startsWith("jdbc:h2:file:" + directory.toAbsolutePath());
        assertThat(config.port()).isEqualTo(18_123);
        assertThat(config.publicUrl()).isEqualTo("http://127.0.0.1:18123");
        assertThat(config.bootstrapClientId()).contains(StartupTraining.CLIENT_ID);
    }

    @Test
    void aStartupTaskGivesItsResultOrThrowsItsFailureUnchanged() {
        assertThat(StartupTask.start("test", () -> 42).join()).isEqualTo(42);

        IllegalStateException failure = new IllegalStateException("no libcrypto");
        StartupTask<Integer> failing = StartupTask.start("test-failure", () -> {
            throw failure;
        });
        assertThatThrownBy(failing::join).isSameAs(failure);
    }

    @Test
    void theTimelineGivesEachPhaseItsEndAndDuration() {
        StartupTimeline timeline = new StartupTimeline();
        timeline.mark("jvm");
        timeline.mark("wiring");

        assertThat(timeline.phases()).extracting(StartupTimeline.Phase::name).containsExactly("jvm", "wiring");
        assertThat(timeline.phases().get(1).endMillis()).isGreaterThanOrEqualTo(timeline.phases().get(0).endMillis());
        assertThat(timeline.summary()).matches("jvm \\d+ ms \\(\\+\\d+\\), wiring \\d+ ms \\(\\+\\d+\\)");
    }
}
