package dev.gatehouse.app;

import dev.gatehouse.core.credential.EnvironmentClient;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentService;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the environment of {@code GATEHOUSE_PUBLIC_URL} exists, with a signing key and a
 * management client, and (development environments) the test organization with its IdP simulator (D-SIM1). A generated secret is printed once; a configured one is never printed.
 */
final class Bootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);

    private Bootstrap() {}

    static Environment run(Wiring wiring) {
        GatehouseConfig config = wiring.config;
        String issuer = EnvironmentService.normalizeIssuer(config.publicUrl());
        Optional<Environment> existing = wiring.environmentRepository.findByIssuer(issuer);
        if (existing.isEmpty()) {
            var created = wiring.environments.create("development", issuer,
                    config.bootstrapClientId(), config.bootstrapClientSecret());
            wiring.environmentDirectory.invalidate();
            LOG.info("Created environment {} with issuer {}", created.environment().id(), issuer);
            if (config.bootstrapClientSecret().isPresent()) {
                LOG.info("Management client {} uses the secret from GATEHOUSE_BOOTSTRAP_CLIENT_SECRET",
                        created.credentials().client().id());
            } else {
                printOnce(created.credentials().client(), created.credentials().plainSecret());
            }
            wiring.testOrganizations.ensure(created.environment());
            return created.environment();
        }
        Environment environment = existing.get();
        config.bootstrapClientId().ifPresent(clientId -> ensureBootstrapClient(wiring, environment, clientId));
        wiring.testOrganizations.ensure(environment);
        return environment;
    }

    private static void ensureBootstrapClient(Wiring wiring, Environment environment, String clientId) {
        Optional<EnvironmentClient> client = wiring.clientRepository.findById(clientId);
        if (client.isPresent() && !client.get().environmentId().equals(environment.id())) {
            throw new GatehouseConfig.ConfigException("GATEHOUSE_BOOTSTRAP_CLIENT_ID " + clientId
                    + " belongs to another environment (" + client.get().environmentId() + ")");
        }
        if (client.isEmpty()) {
            var issued = wiring.clients.create(environment.id(), "bootstrap", Optional.of(clientId),
                    wiring.config.bootstrapClientSecret());
            if (wiring.config.bootstrapClientSecret().isEmpty()) {
                printOnce(issued.client(), issued.plainSecret());
            }
            return;
        }
        wiring.config.bootstrapClientSecret().ifPresent(secret -> {
            if (!(wiring.clients.authenticate(clientId, secret)
                    instanceof dev.gatehouse.core.credential.ClientAuthentication.Authenticated)) {
                wiring.clients.addConfiguredSecret(environment.id(), clientId, secret);
                LOG.info("Added the secret from GATEHOUSE_BOOTSTRAP_CLIENT_SECRET to client {}", clientId);
            }
        });
    }

    private static void printOnce(EnvironmentClient client, String secret) {
        // Deliberately printed once, on the console only: this is the only time the secret exists in clear.
        System.out.println();
        System.out.println("  Management credentials (shown once, stored hashed):");
        System.out.println("    GATEHOUSE_CLIENT_ID=" + client.id());
        System.out.println("    GATEHOUSE_CLIENT_SECRET=" + secret);
        System.out.println();
    }
}
