package dev.gatehouse.core.environment;

import dev.gatehouse.core.credential.EnvironmentClientService;
import dev.gatehouse.core.credential.IssuedCredentials;
import dev.gatehouse.core.key.SigningKeyService;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.shared.Transactions;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Creates environments with what each one needs to work: a signing key and a management client. */
public final class EnvironmentService {
    private final EnvironmentRepository environments;
    private final SigningKeyService keys;
    private final EnvironmentClientService clients;
    private final IdGenerator ids;
    private final Clock clock;
    private final Transactions transactions;

    public EnvironmentService(EnvironmentRepository environments, SigningKeyService keys,
                              EnvironmentClientService clients, IdGenerator ids, Clock clock, Transactions transactions) {
        this.environments = environments;
        this.keys = keys;
        this.clients = clients;
        this.ids = ids;
        this.clock = clock;
        this.transactions = transactions;
    }

    public record CreatedEnvironment(Environment environment, IssuedCredentials credentials) {}

    /** A development environment (the bootstrap environment's type). */
    public CreatedEnvironment create(String name, String issuerUrl, Optional<String> clientId, Optional<String> clientSecret) {
        return create(name, issuerUrl, EnvironmentType.DEVELOPMENT, clientId, clientSecret);
    }

    public CreatedEnvironment create(String name, String issuerUrl, EnvironmentType type, Optional<String> clientId,
                                     Optional<String> clientSecret) {
        String issuer = normalizeIssuer(issuerUrl);
        if (environments.findByIssuer(issuer).isPresent()) {
            throw new IllegalArgumentException("an environment with issuer " + issuer + " already exists");
        }
        Environment environment = new Environment(ids.next(IdPrefix.ENVIRONMENT), name, issuer,
                clock.instant().truncatedTo(ChronoUnit.MICROS), type);
        // All or nothing: an environment without its key or client would be unusable.
        return transactions.inTransaction(() -> {
            environments.create(environment);
            keys.rotate(environment.id());
            IssuedCredentials credentials = clients.create(environment.id(), "default", clientId, clientSecret);
            return new CreatedEnvironment(environment, credentials);
        });
    }

    /** Issuers are compared as written, without a trailing slash. */
    public static String normalizeIssuer(String issuerUrl) {
        String trimmed = issuerUrl.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        java.net.URI uri = java.net.URI.create(trimmed);
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("the issuer URL must be an absolute http(s) URL: " + issuerUrl);
        }
        return trimmed;
    }
}
