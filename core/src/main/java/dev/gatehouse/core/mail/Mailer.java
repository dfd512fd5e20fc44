package dev.gatehouse.core.mail;

/** Sends an environment's mail: over its SMTP server, the process-wide one, or into the dev mailbox. */
public interface Mailer {
    /**
     * Sends {@code message} or throws: {@link MailDeliveryException} when the server refused or could
     * not be reached, {@link dev.gatehouse.core.shared.DomainException.FailedPrecondition} when the
     * environment has nowhere to send mail.
     */
    Delivery send(MailMessage message);

    /** Where a message went. */
    enum Delivery { SMTP, DEV_MAILBOX }
}
