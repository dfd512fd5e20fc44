package dev.gatehouse.core.login;

import java.time.Instant;
import java.util.Optional;

public interface LoginTransactionRepository {
    void insert(LoginTransaction transaction);

    Optional<LoginTransaction> find(String environmentId, String id);

    /** Saves {@code updated} only if the stored step is still {@code expectedStep}; false when another request won. */
    boolean update(LoginTransaction updated, LoginStep expectedStep);

    int deleteExpired(Instant now);
}
