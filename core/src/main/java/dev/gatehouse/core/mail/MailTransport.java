package dev.gatehouse.core.mail;

/** The SMTP client (the mail module implements it with Angus Mail). */
public interface MailTransport {
    /** Delivers {@code message} through {@code smtp}; throws {@link MailDeliveryException} on any failure. */
    void deliver(SmtpSettings smtp, MailMessage message);
}
