package dev.gatehouse.core.simulator;

import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.environment.Environment;
import java.util.Optional;

/** Gives development environments their test organization with the built-in IdP simulator (D-SIM1). */
public interface TestOrganizations {
    /** The environment's simulator connection, created with its test organization when missing; none in production. */
    Optional<Connection> ensure(Environment environment);

    /** Provisions nothing ({@code GATEHOUSE_TEST_ORGANIZATION=false}). */
    TestOrganizations NONE = environment -> Optional.empty();
}
