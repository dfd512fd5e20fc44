package dev.gatehouse.core.mail;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The dev mailbox: mail that would have been sent, kept in the database so every node sees it. */
public interface DevMailbox {
    /** Keeps a message, and forgets the environment's oldest ones beyond {@code keep}. */
    void append(MailMessage message, String from, Instant time, int keep);

    /** The environment's newest messages first, optionally only those to {@code to} (ignoring case). */
    List<DevMail> recent(String environmentId, Optional<String> to, int limit);
}
