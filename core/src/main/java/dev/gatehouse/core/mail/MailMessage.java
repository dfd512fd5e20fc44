package dev.gatehouse.core.mail;

import java.util.Optional;

/**
 * One email to one recipient, already rendered. {@code textBody} is always sent; {@code htmlBody},
 * when present, is its alternative. Bodies may hold one-time codes and links: never log them.
 */
public record MailMessage(String environmentId, String to, String subject, String textBody, Optional<String> htmlBody) {
    public MailMessage {
        if (subject.indexOf('\r') >= 0 || subject.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a subject is one line");
        }
    }

    @Override
    public String toString() {
        return "MailMessage[environment=" + environmentId + ", subject=" + subject + "]";
    }
}
