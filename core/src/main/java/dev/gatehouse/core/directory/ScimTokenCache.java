package dev.gatehouse.core.directory;

import dev.gatehouse.core.credential.SecretHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SCIM bearer tokens accepted recently, by directory and SHA-256 of the token (never the token itself), each for
 * {@link #TTL} and never past the secret's own expiry (docs/DECISIONS.md D-SP1). Only acceptances are remembered.
 * {@link DirectoryService} forgets a directory whenever it changes its state or secrets on this node.
 */
final class ScimTokenCache {
    static final Duration TTL = Duration.ofSeconds(5);
    static final int MAX_ENTRIES = 10_000;

    private record Entry(Directory directory, Optional<Instant> secretExpiry, Instant loadedAt) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    Optional<Directory> find(String directoryId, SecretHash presented, Instant now) {
        Entry entry = entries.get(key(directoryId, presented));
        if (entry == null) {
            return Optional.empty();
        }
        if (!now.isBefore(entry.loadedAt().plus(TTL)) || entry.secretExpiry().map(e -> !now.isBefore(e)).orElse(false)) {
            entries.remove(key(directoryId, presented), entry);
            return Optional.empty();
        }
        return Optional.of(entry.directory());
    }

    void remember(Directory directory, SecretHash presented, Optional<Instant> secretExpiry, Instant now) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key(directory.id(), presented), new Entry(directory, secretExpiry, now));
    }

    void forget(String directoryId) {
        String prefix = directoryId + ":";
        entries.keySet().removeIf(key -> key.startsWith(prefix));
    }

    /** Constant-time comparison of two token hashes. */
    static boolean sameHash(SecretHash stored, SecretHash presented) {
        return MessageDigest.isEqual(stored.hex().getBytes(StandardCharsets.US_ASCII),
                presented.hex().getBytes(StandardCharsets.US_ASCII));
    }

    private static String key(String directoryId, SecretHash presented) {
        return directoryId + ":" + presented.hex();
    }
}
