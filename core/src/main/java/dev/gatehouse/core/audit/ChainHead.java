package dev.gatehouse.core.audit;

import java.util.Optional;

/** The newest link of an environment's audit chain: its sequence number and hash (empty before the first hashed record). */
public record ChainHead(long sequence, Optional<String> hash) {
}
