package dev.gatehouse.core.mail;

import java.util.Optional;

/** An email's subject and bodies with {@code {{variable}}} placeholders; the HTML body is optional. */
public record EmailTemplate(String subject, String textBody, Optional<String> htmlBody) {}
