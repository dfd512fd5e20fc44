package dev.gatehouse.core.mail;

import java.time.Instant;
import java.util.Optional;

/** A message kept by the dev mailbox instead of being sent. {@code id} grows with every message. */
public record DevMail(long id, String environmentId, Instant time, String to, String from, String subject,
                      String textBody, Optional<String> htmlBody) {}
