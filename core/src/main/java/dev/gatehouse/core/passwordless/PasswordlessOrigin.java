package dev.gatehouse.core.passwordless;

import java.util.Optional;

/** Who asked, for the audit trail: the management client (headless API) or nobody yet (hosted login), and the IP. */
public record PasswordlessOrigin(Optional<String> actor, Optional<String> remoteAddress) {
    public static final PasswordlessOrigin UNKNOWN = new PasswordlessOrigin(Optional.empty(), Optional.empty());
}
