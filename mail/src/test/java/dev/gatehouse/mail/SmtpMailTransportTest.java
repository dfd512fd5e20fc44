package dev.gatehouse.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.gatehouse.core.mail.MailDeliveryException;
import dev.gatehouse.core.mail.MailMessage;
import dev.gatehouse.core.mail.SmtpSettings;
import dev.gatehouse.core.mail.TlsMode;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real SMTP: GreenMail listens on a free port and receives what the transport sends. */
class SmtpMailTransportTest {
    @RegisterExtension
    static final GreenMailExtension GREENMAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("mailer", "s3cret"));

    private final SmtpMailTransport transport = new SmtpMailTransport(Duration.ofSeconds(5));

    private SmtpSettings settings(Optional<String> password) {
        return new SmtpSettings("127.0.0.1", GREENMAIL.getSmtp().getPort(), TlsMode.NONE, Optional.of("mailer"), password,
                "no-reply@acme.test", Optional.of("Acme Ünïcode"));
    }

    @Test
    void deliverWhenTextAndHtmlThenGreenMailReceivesMultipartAlternativeFromNamedSender() throws Exception {
        transport.deliver(settings(Optional.of("s3cret")), new MailMessage("env_1", "ann@example.com", "Your code 123456",
                "Code: 123456", Optional.of("<p>Code: <b>123456</b></p>")));

        MimeMessage[] received = GREENMAIL.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage message = received[0];
        assertThat(message.getSubject()).isEqualTo("Your code 123456");
        assertThat(((InternetAddress) message.getFrom()[0]).getPersonal()).isEqualTo("Acme Ünïcode");
        assertThat(((InternetAddress) message.getFrom()[0]).getAddress()).isEqualTo("no-reply@acme.test");
        assertThat(message.getAllRecipients()[0].toString()).isEqualTo("ann@example.com");
        MimeMultipart alternative = (MimeMultipart) message.getContent();
        assertThat(alternative.getContentType()).startsWith("multipart/alternative");
        assertThat(alternative.getBodyPart(0).getContent().toString()).isEqualTo("Code: 123456");
        assertThat(alternative.getBodyPart(1).getContent().toString()).contains("<b>123456</b>");
    }

    @Test
    void deliverWhenTextOnlyThenPlainBody() {
        transport.deliver(settings(Optional.of("s3cret")), new MailMessage("env_1", "bob@example.com", "Hello", "Just text",
                Optional.empty()));

        assertThat(GreenMailUtil.getBody(GREENMAIL.getReceivedMessages()[0])).isEqualTo("Just text");
    }

    @Test
    void deliverWhenServerUnreachableThenMailDeliveryExceptionWithoutCredentials() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SmtpSettings unreachable = new SmtpSettings("127.0.0.1", closedPort, TlsMode.NONE, Optional.of("mailer"),
                Optional.of("s3cret"), "no-reply@acme.test", Optional.empty());

        assertThatThrownBy(() -> transport.deliver(unreachable, new MailMessage("env_1", "ann@example.com", "s", "t",
                Optional.empty())))
                .isInstanceOf(MailDeliveryException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void deliverWhenStartTlsRequiredButServerHasNoneThenRefusedNotSentInClear() {
        SmtpSettings startTls = new SmtpSettings("127.0.0.1", GREENMAIL.getSmtp().getPort(), TlsMode.STARTTLS,
                Optional.empty(), Optional.empty(), "no-reply@acme.test", Optional.empty());

        assertThatThrownBy(() -> transport.deliver(startTls, new MailMessage("env_1", "ann@example.com", "s", "t",
                Optional.empty()))).isInstanceOf(MailDeliveryException.class);
        assertThat(GREENMAIL.getReceivedMessages()).isEmpty();
    }
}
