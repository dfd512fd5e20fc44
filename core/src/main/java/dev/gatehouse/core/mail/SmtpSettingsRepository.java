package dev.gatehouse.core.mail;

import java.util.Optional;

/** Storage of each environment's own SMTP settings (at most one per environment). */
public interface SmtpSettingsRepository {
    Optional<StoredSmtpSettings> find(String environmentId);

    /** Inserts or replaces the environment's settings. */
    void save(StoredSmtpSettings settings);

    boolean delete(String environmentId);
}
