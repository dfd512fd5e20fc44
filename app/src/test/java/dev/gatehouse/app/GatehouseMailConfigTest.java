package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.mail.MailRouting;
import dev.gatehouse.core.mail.TlsMode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GATEHOUSE_SMTP_* and GATEHOUSE_DEV_MAILBOX. */
class GatehouseMailConfigTest {
    private static MailRouting mail(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("GATEHOUSE_DATA_DIR", "/tmp/gatehouse-config-test"));
        env.putAll(extra);
        return GatehouseConfig.fromEnvironment(env).mail();
    }

    @Test
    void mailWhenNothingSetThenNoDefaultSmtpAndDevMailboxOn() {
        MailRouting routing = mail(Map.of());

        assertThat(routing.defaultSmtp()).isEmpty();
        assertThat(routing.devMailboxEnabled()).isTrue();
    }

    @Test
    void mailWhenSmtpHostSetThenDefaultSmtpAndDevMailboxOffUnlessForced() {
        MailRouting routing = mail(Map.of("GATEHOUSE_SMTP_HOST", "smtp.example.com", "GATEHOUSE_SMTP_PORT", "465",
                "GATEHOUSE_SMTP_USERNAME", "apikey", "GATEHOUSE_SMTP_PASSWORD", "pw", "GATEHOUSE_SMTP_FROM", "a@example.com"));

        assertThat(routing.devMailboxEnabled()).isFalse();
        assertThat(routing.defaultSmtp()).hasValueSatisfying(s -> {
            assertThat(s.tlsMode()).isEqualTo(TlsMode.TLS);
            assertThat(s.port()).isEqualTo(465);
            assertThat(s.password()).contains("pw");
            assertThat(s.toString()).doesNotContain("pw,");
        });
        assertThat(mail(Map.of("GATEHOUSE_SMTP_HOST", "smtp.example.com", "GATEHOUSE_SMTP_FROM", "a@example.com",
                "GATEHOUSE_DEV_MAILBOX", "true")).devMailboxEnabled()).isTrue();
        assertThat(mail(Map.of("GATEHOUSE_DEV_MAILBOX", "false")).devMailboxEnabled()).isFalse();
        assertThat(mail(Map.of("GATEHOUSE_SMTP_HOST", "h", "GATEHOUSE_SMTP_FROM", "a@example.com")).defaultSmtp()
                .orElseThrow().tlsMode()).isEqualTo(TlsMode.STARTTLS);
    }

    @Test
    void mailWhenBadValuesThenConfigExceptionNamingTheVariable() {
        assertThatThrownBy(() -> mail(Map.of("GATEHOUSE_SMTP_HOST", "h")))
                .isInstanceOf(GatehouseConfig.ConfigException.class).hasMessageContaining("GATEHOUSE_SMTP_FROM");
        assertThatThrownBy(() -> mail(Map.of("GATEHOUSE_SMTP_HOST", "h", "GATEHOUSE_SMTP_FROM", "a@example.com",
                "GATEHOUSE_SMTP_TLS", "ssl"))).hasMessageContaining("GATEHOUSE_SMTP_TLS");
        assertThatThrownBy(() -> mail(Map.of("GATEHOUSE_DEV_MAILBOX", "yes"))).hasMessageContaining("GATEHOUSE_DEV_MAILBOX");
    }
}
