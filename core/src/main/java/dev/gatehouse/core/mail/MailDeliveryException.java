package dev.gatehouse.core.mail;

/** The SMTP server could not be reached or refused the message. The message never names credentials. */
public final class MailDeliveryException extends RuntimeException {
    public MailDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
