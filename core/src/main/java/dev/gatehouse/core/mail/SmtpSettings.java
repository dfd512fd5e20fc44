package dev.gatehouse.core.mail;

import java.util.Optional;

/** Where and how to send mail over SMTP. The password is plaintext here: never log it ({@link #toString} hides it). */
public record SmtpSettings(String host, int port, TlsMode tlsMode, Optional<String> username, Optional<String> password,
                           String fromAddress, Optional<String> fromName) {
    @Override
    public String toString() {
        return "SmtpSettings[host=" + host + ", port=" + port + ", tls=" + tlsMode + ", username="
                + username.orElse("") + ", password=" + (password.isPresent() ? "redacted" : "none")
                + ", from=" + fromAddress + "]";
    }
}
