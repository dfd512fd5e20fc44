package dev.gatehouse.core.connection;

import java.time.Instant;
import java.util.Optional;

/** Connection tests, scoped by environment; a test is found by its ID or by the login that runs it. */
public interface ConnectionTestRepository {
    void insert(ConnectionTest test);

    Optional<ConnectionTest> find(String environmentId, String connectionId, String testId);

    Optional<ConnectionTest> findByLogin(String environmentId, String loginId);

    /** Records a pending test's result; false when the test is unknown or no longer pending. */
    boolean complete(ConnectionTest finished);

    int deleteExpiredBefore(Instant cutoff);
}
