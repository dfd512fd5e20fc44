package dev.gatehouse.core.mail;

import java.util.Optional;

/**
 * Process-wide mail settings: the SMTP server of environments without their own
 * ({@code GATEHOUSE_SMTP_*}), and whether mail with nowhere to go lands in the dev mailbox.
 */
public record MailRouting(Optional<SmtpSettings> defaultSmtp, boolean devMailboxEnabled) {
    /** The sender shown on dev-mailbox messages when no SMTP default names one. */
    public static final String DEV_FROM = "gatehouse@localhost";
    /** Messages kept per environment in the dev mailbox. */
    public static final int DEV_MAILBOX_KEEP = 200;
}
