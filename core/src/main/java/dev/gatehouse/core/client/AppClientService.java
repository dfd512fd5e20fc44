package dev.gatehouse.core.client;

import dev.gatehouse.core.credential.ClientSecret;
import dev.gatehouse.core.credential.EnvironmentClientService;
import dev.gatehouse.core.credential.IssuedCredentials;
import dev.gatehouse.core.credential.IssuedSecret;
import dev.gatehouse.core.credential.SecretStatus;
import dev.gatehouse.core.environment.EnvironmentRepository;
import dev.gatehouse.core.environment.EnvironmentType;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.FieldViolation;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.core.shared.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The environment-client half of {@code scalekit.v1.clients.ClientService}: the management clients
 * ({@code skc_…}) with their sign-in settings and secrets. Creation and secrets go through
 * {@link EnvironmentClientService}, which the token endpoint and management authentication use too.
 */
public final class AppClientService {
    private final EnvironmentClientService credentials;
    private final AppClientRepository clients;
    private final EnvironmentRepository environments;
    private final CachedAppClientDirectory directory;
    private final Clock clock;
    private final Transactions tx;

    public AppClientService(EnvironmentClientService credentials, AppClientRepository clients,
                            EnvironmentRepository environments, CachedAppClientDirectory directory, Clock clock,
                            Transactions tx) {
        this.credentials = credentials;
        this.clients = clients;
        this.environments = environments;
        this.directory = directory;
        this.clock = clock;
        this.tx = tx;
    }

    /** A new client and its first secret (plain, shown once). */
    public record CreatedAppClient(EnvironmentAppClient client, IssuedSecret secret) {}

    public Page<EnvironmentAppClient> list(String environmentId, List<String> clientTypes, PageRequest page) {
        return clients.list(environmentId, clientTypes, page);
    }

    public EnvironmentAppClient get(String environmentId, String clientId) {
        return clients.find(environmentId, clientId).orElseThrow(() -> notFound(clientId));
    }

    public CreatedAppClient create(String environmentId, NewAppClient request) {
        List<FieldViolation> violations = new ArrayList<>();
        AppClientRules.checkName("client.name", request.name(), violations);
        AppClientRules.checkClientType("client.client_type", request.clientType(), violations);
        AppClientRules.checkSettings("client.", request.settings(), typeOf(environmentId), violations);
        throwIfAny(violations);
        return tx.inTransaction(() -> {
            IssuedCredentials issued = credentials.create(environmentId, request.name().strip(), Optional.empty(), Optional.empty());
            String clientId = issued.client().id();
            clients.update(environmentId, clientId, request.name().strip(), request.clientType(), request.settings(),
                    issued.client().createTime());
            EnvironmentAppClient created = get(environmentId, clientId);
            ClientSecret secret = created.secrets().getFirst();
            return new CreatedAppClient(created, new IssuedSecret(secret, issued.plainSecret()));
        });
    }

    public EnvironmentAppClient update(String environmentId, String clientId, AppClientPatch patch) {
        EnvironmentType type = typeOf(environmentId);
        EnvironmentAppClient updated = tx.inTransaction(() -> {
            lock(environmentId, clientId);
            EnvironmentAppClient current = get(environmentId, clientId);
            AppClientSettings settings = patch.applyTo(current.settings());
            List<FieldViolation> violations = new ArrayList<>();
            patch.name().ifPresent(name -> AppClientRules.checkName("client.name", name, violations));
            AppClientRules.checkSettings("client.", settings, type, violations);
            throwIfAny(violations);
            clients.update(environmentId, clientId, patch.name().map(String::strip).orElse(current.client().name()),
                    current.clientType(), settings, now());
            return get(environmentId, clientId);
        });
        directory.forget(clientId);
        credentials.forget(clientId);
        return updated;
    }

    /** Deletes a client and its secrets. A client cannot delete itself (the caller would lock itself out). */
    public void delete(String environmentId, String clientId, String callerClientId) {
        if (clientId.equals(callerClientId)) {
            throw new DomainException.FailedPrecondition("a client cannot delete itself; call with another client's token");
        }
        tx.inTransaction(() -> {
            if (!clients.delete(environmentId, clientId)) {
                throw notFound(clientId);
            }
            return null;
        });
        directory.forget(clientId);
        credentials.forget(clientId);
    }

    /** A new secret (at most {@link EnvironmentClientService#MAX_SECRETS_PER_CLIENT} per client). */
    public IssuedSecret createSecret(String environmentId, String clientId) {
        IssuedSecret issued = tx.inTransaction(() -> {
            lock(environmentId, clientId);
            return credentials.createSecret(environmentId, clientId);
        });
        directory.forget(clientId);
        return issued;
    }

    public ClientSecret updateSecret(String environmentId, String clientId, String secretId, SecretStatus status) {
        ClientSecret updated = tx.inTransaction(() -> {
            lock(environmentId, clientId);
            if (!clients.updateSecretStatus(environmentId, clientId, secretId, status, now())) {
                throw new DomainException.NotFound("secret " + secretId + " not found");
            }
            return get(environmentId, clientId).secrets().stream().filter(s -> s.id().equals(secretId)).findFirst()
                    .orElseThrow(() -> new DomainException.NotFound("secret " + secretId + " not found"));
        });
        directory.forget(clientId);
        credentials.forget(clientId);
        return updated;
    }

    public void deleteSecret(String environmentId, String clientId, String secretId) {
        tx.inTransaction(() -> {
            lock(environmentId, clientId);
            if (!clients.deleteSecret(environmentId, clientId, secretId)) {
                throw new DomainException.NotFound("secret " + secretId + " not found");
            }
            return null;
        });
        directory.forget(clientId);
        credentials.forget(clientId);
    }

    private void lock(String environmentId, String clientId) {
        if (!clients.lock(environmentId, clientId)) {
            throw notFound(clientId);
        }
    }

    private EnvironmentType typeOf(String environmentId) {
        return environments.findById(environmentId).map(e -> e.type())
                .orElseThrow(() -> new DomainException.NotFound("environment " + environmentId + " not found"));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static DomainException.NotFound notFound(String clientId) {
        return new DomainException.NotFound("client " + clientId + " not found");
    }

    static void throwIfAny(List<FieldViolation> violations) {
        if (!violations.isEmpty()) {
            throw new DomainException.InvalidArgument(violations.getFirst().description(), violations);
        }
    }
}
