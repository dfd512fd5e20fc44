package dev.gatehouse.core.environment;

import java.util.List;
import java.util.Optional;

/** Storage port for environments, the only tenant-free repository. */
public interface EnvironmentRepository {
    void create(Environment environment);

    Optional<Environment> findById(String environmentId);

    Optional<Environment> findByIssuer(String issuerUrl);

    List<Environment> list();
}
