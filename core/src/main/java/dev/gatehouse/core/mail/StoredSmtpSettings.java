package dev.gatehouse.core.mail;

import java.time.Instant;
import java.util.Optional;

/** An environment's SMTP settings as stored: the password sealed under the master key (base64). */
public record StoredSmtpSettings(String environmentId, String host, int port, TlsMode tlsMode, Optional<String> username,
                                 Optional<String> sealedPassword, String fromAddress, Optional<String> fromName,
                                 Instant updateTime) {}
