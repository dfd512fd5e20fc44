package dev.gatehouse.mail;

import dev.gatehouse.core.mail.MailDeliveryException;
import dev.gatehouse.core.mail.MailMessage;
import dev.gatehouse.core.mail.MailTransport;
import dev.gatehouse.core.mail.SmtpSettings;
import dev.gatehouse.core.mail.TlsMode;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

/**
 * Sends a {@link MailMessage} over SMTP with Angus Mail: one connection per message, bounded connect,
 * read and write timeouts, STARTTLS required or implicit TLS as the settings say (server certificates
 * checked against the JDK's trust store and the host name), AUTH when a username is set.
 */
public final class SmtpMailTransport implements MailTransport {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Duration timeout;

    public SmtpMailTransport(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void deliver(SmtpSettings smtp, MailMessage message) {
        Session session = Session.getInstance(properties(smtp));
        try {
            MimeMessage mime = new MimeMessage(session);
            mime.setFrom(smtp.fromName().isPresent()
                    ? new InternetAddress(smtp.fromAddress(), smtp.fromName().get(), StandardCharsets.UTF_8.name())
                    : new InternetAddress(smtp.fromAddress()));
            mime.setRecipient(Message.RecipientType.TO, new InternetAddress(message.to()));
            mime.setSubject(message.subject(), StandardCharsets.UTF_8.name());
            mime.setSentDate(new Date());
            if (message.htmlBody().isPresent()) {
                MimeMultipart alternative = new MimeMultipart("alternative");
                MimeBodyPart text = new MimeBodyPart();
                text.setText(message.textBody(), StandardCharsets.UTF_8.name(), "plain");
                MimeBodyPart html = new MimeBodyPart();
                html.setText(message.htmlBody().get(), StandardCharsets.UTF_8.name(), "html");
                alternative.addBodyPart(text);
                alternative.addBodyPart(html);
                mime.setContent(alternative);
            } else {
                mime.setText(message.textBody(), StandardCharsets.UTF_8.name(), "plain");
            }
            mime.saveChanges();
            String protocol = smtp.tlsMode() == TlsMode.TLS ? "smtps" : "smtp";
            try (Transport transport = session.getTransport(protocol)) {
                transport.connect(smtp.host(), smtp.port(), smtp.username().orElse(null), smtp.password().orElse(null));
                transport.sendMessage(mime, mime.getAllRecipients());
            }
        } catch (MessagingException | UnsupportedEncodingException e) {
            // The exception names the server and its answer, never the credentials.
            throw new MailDeliveryException("SMTP " + smtp.host() + ":" + smtp.port() + ": " + firstLine(e.getMessage()), e);
        }
    }

    private Properties properties(SmtpSettings smtp) {
        Properties p = new Properties();
        String millis = Long.toString(timeout.toMillis());
        for (String protocol : new String[] {"smtp", "smtps"}) {
            String prefix = "mail." + protocol + ".";
            p.setProperty(prefix + "connectiontimeout", millis);
            p.setProperty(prefix + "timeout", millis);
            p.setProperty(prefix + "writetimeout", millis);
            p.setProperty(prefix + "auth", Boolean.toString(smtp.username().isPresent()));
            p.setProperty(prefix + "ssl.checkserveridentity", "true");
        }
        if (smtp.tlsMode() == TlsMode.STARTTLS) {
            p.setProperty("mail.smtp.starttls.enable", "true");
            p.setProperty("mail.smtp.starttls.required", "true");
        }
        return p;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "failed";
        }
        int newline = message.indexOf('\n');
        String line = (newline < 0 ? message : message.substring(0, newline)).strip();
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
