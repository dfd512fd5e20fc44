package dev.gatehouse.core.passwordless;

import java.time.Instant;
import java.util.Optional;

/** Each environment's passwordless settings (absent: {@link PasswordlessSettings#DEFAULT}). */
public interface PasswordlessSettingsRepository {
    Optional<PasswordlessSettings> find(String environmentId);

    /** Inserts or replaces. */
    void save(String environmentId, PasswordlessSettings settings, Instant updateTime);
}
