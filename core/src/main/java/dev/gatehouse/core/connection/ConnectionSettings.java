package dev.gatehouse.core.connection;

import java.util.List;

/** The protocol half of a connection: what Gatehouse knows about the IdP. */
public sealed interface ConnectionSettings permits SamlSettings, OidcSettings {
    /** What a login through this connection still needs (empty when COMPLETED); names use the wire's fields. */
    List<String> missing(boolean debugEnabled);

    /** True while nothing about the IdP has been entered. */
    boolean isEmpty();

    /** DISCOVERY when the IdP's details come from its metadata or discovery document, else MANUAL. */
    boolean discovered();

    default ConnectionStatus status(boolean debugEnabled) {
        if (isEmpty()) {
            return ConnectionStatus.DRAFT;
        }
        return missing(debugEnabled).isEmpty() ? ConnectionStatus.COMPLETED : ConnectionStatus.IN_PROGRESS;
    }
}
