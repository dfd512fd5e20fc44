package dev.gatehouse.core.mail;

import java.util.Optional;

/**
 * New SMTP settings for an environment, as parsed at the edge. {@code password}: absent keeps the
 * stored one, empty removes it, anything else replaces it.
 */
public record SmtpSettingsInput(String host, int port, TlsMode tlsMode, Optional<String> username,
                                Optional<String> password, String fromAddress, Optional<String> fromName) {
    @Override
    public String toString() {
        return "SmtpSettingsInput[host=" + host + ", port=" + port + ", password=" + (password.isPresent() ? "given" : "kept") + "]";
    }
}
