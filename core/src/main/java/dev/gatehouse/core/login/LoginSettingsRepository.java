package dev.gatehouse.core.login;

import java.util.Optional;

public interface LoginSettingsRepository {
    Optional<LoginSettings> find(String environmentId);

    void save(LoginSettings settings, java.time.Instant now);
}
