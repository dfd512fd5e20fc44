package dev.gatehouse.core.mail;

/** How the SMTP connection is protected. */
public enum TlsMode {
    /** Plain SMTP (local relays and test servers only). */
    NONE,
    /** Plain connection upgraded with STARTTLS, which is required (usually port 587). */
    STARTTLS,
    /** TLS from the first byte, "SMTPS" (usually port 465). */
    TLS
}
