package dev.gatehouse.core.client;

import dev.gatehouse.core.credential.ClientSecret;
import dev.gatehouse.core.credential.IssuedSecret;
import dev.gatehouse.core.credential.SecretGenerator;
import dev.gatehouse.core.credential.SecretHash;
import dev.gatehouse.core.organization.OrganizationRepository;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.FieldViolation;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
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
 * The organization half of {@code scalekit.v1.clients.ClientService}: M2M clients of one organization,
 * their secrets (SHA-256 only, plain value shown once, at most {@link #MAX_SECRETS_PER_CLIENT}), and the
 * secret check of the token endpoint's {@code client_credentials} grant.
 */
public final class OrganizationClientService implements OrganizationClientCredentials {
    public static final String SECRET_PREFIX = "gsk_";
    public static final int MAX_SECRETS_PER_CLIENT = 5;
    public static final long DEFAULT_EXPIRY_SECONDS = 3_600;

    private final OrganizationClientRepository clients;
    private final OrganizationRepository organizations;
    private final IdGenerator ids;
    private final SecretGenerator secrets;
    private final Clock clock;
    private final Transactions tx;

    public OrganizationClientService(OrganizationClientRepository clients, OrganizationRepository organizations,
                                     IdGenerator ids, SecretGenerator secrets, Clock clock, Transactions tx) {
        this.clients = clients;
        this.organizations = organizations;
        this.ids = ids;
        this.secrets = secrets;
        this.clock = clock;
        this.tx = tx;
    }

    /** A new client and its first secret (plain, shown once). */
    public record CreatedOrganizationClient(OrganizationClient client, IssuedSecret secret) {}

    public CreatedOrganizationClient create(String environmentId, String organizationId, NewOrganizationClient request) {
        long expiry = request.expirySeconds().filter(e -> e != 0).orElse(DEFAULT_EXPIRY_SECONDS);
        List<FieldViolation> violations = new ArrayList<>();
        OrganizationClientRules.checkName(request.name(), violations);
        OrganizationClientRules.checkDescription(request.description(), violations);
        OrganizationClientRules.checkScopes(request.scopes(), violations);
        OrganizationClientRules.checkAudience(request.audience(), violations);
        OrganizationClientRules.checkCustomClaims(request.customClaims(), violations);
        OrganizationClientRules.checkExpiry(expiry, violations);
        AppClientService.throwIfAny(violations);
        Instant now = now();
        OrganizationClient client = new OrganizationClient(ids.next(IdPrefix.ORGANIZATION_CLIENT), environmentId,
                organizationId, request.name().strip(), request.description(), request.scopes(), request.audience(),
                request.customClaims(), expiry, now, now, List.of());
        return tx.inTransaction(() -> {
            requireOrganization(environmentId, organizationId);
            clients.insert(client);
            IssuedSecret secret = storeSecret(environmentId, client.id(), now);
            return new CreatedOrganizationClient(client.withSecrets(List.of(secret.secret())), secret);
        });
    }

    public OrganizationClient get(String environmentId, String organizationId, String clientId) {
        return clients.find(environmentId, organizationId, clientId).orElseThrow(() -> notFound(clientId));
    }

    public Page<OrganizationClient> list(String environmentId, String organizationId, PageRequest page) {
        return tx.inTransaction(() -> {
            requireOrganization(environmentId, organizationId);
            return clients.list(environmentId, organizationId, page);
        });
    }

    public OrganizationClient update(String environmentId, String organizationId, String clientId,
                                     OrganizationClientPatch patch) {
        List<FieldViolation> violations = new ArrayList<>();
        patch.name().ifPresent(name -> OrganizationClientRules.checkName(name, violations));
        patch.description().ifPresent(description -> OrganizationClientRules.checkDescription(description, violations));
        patch.scopes().ifPresent(scopes -> OrganizationClientRules.checkScopes(scopes, violations));
        patch.audience().ifPresent(audience -> OrganizationClientRules.checkAudience(audience, violations));
        patch.customClaims().ifPresent(claims -> OrganizationClientRules.checkCustomClaims(claims, violations));
        patch.expirySeconds().ifPresent(expiry -> OrganizationClientRules.checkExpiry(expiry, violations));
        AppClientService.throwIfAny(violations);
        return tx.inTransaction(() -> {
            lock(environmentId, organizationId, clientId);
            OrganizationClient current = get(environmentId, organizationId, clientId);
            OrganizationClient updated = new OrganizationClient(current.id(), environmentId, organizationId,
                    patch.name().map(String::strip).orElse(current.name()),
                    patch.description().orElse(current.description()),
                    patch.scopes().orElse(current.scopes()),
                    patch.audience().orElse(current.audience()),
                    patch.customClaims().orElse(current.customClaims()),
                    patch.expirySeconds().orElse(current.expirySeconds()),
                    current.createTime(), now(), current.secrets());
            clients.update(updated);
            return updated;
        });
    }

    /** Deletes the client and its secrets: its secrets stop working at once; tokens already issued live until they expire. */
    public void delete(String environmentId, String organizationId, String clientId) {
        tx.inTransaction(() -> {
            if (!clients.delete(environmentId, organizationId, clientId)) {
                throw notFound(clientId);
            }
            return null;
        });
    }

    public IssuedSecret createSecret(String environmentId, String organizationId, String clientId) {
        return tx.inTransaction(() -> {
            lock(environmentId, organizationId, clientId);
            if (clients.secrets(environmentId, clientId).size() >= MAX_SECRETS_PER_CLIENT) {
                throw new DomainException.FailedPrecondition(
                        "client " + clientId + " already has " + MAX_SECRETS_PER_CLIENT + " secrets; delete one first");
            }
            return storeSecret(environmentId, clientId, now());
        });
    }

    public void deleteSecret(String environmentId, String organizationId, String clientId, String secretId) {
        tx.inTransaction(() -> {
            lock(environmentId, organizationId, clientId);
            if (!clients.deleteSecret(environmentId, clientId, secretId)) {
                throw new DomainException.NotFound("secret " + secretId + " not found");
            }
            return null;
        });
    }

    /** The token endpoint's check: every stored secret is compared (SHA-256, constant time), whichever matches. */
    @Override
    public OrganizationClientAuthentication authenticate(String clientId, String presentedSecret) {
        if (clientId == null || clientId.isEmpty() || presentedSecret == null || presentedSecret.isEmpty()) {
            return new OrganizationClientAuthentication.Rejected("missing client credentials", Optional.empty());
        }
        Optional<OrganizationClient> client = clients.findForAuthentication(clientId);
        if (client.isEmpty()) {
            return new OrganizationClientAuthentication.Rejected("unknown client", Optional.empty());
        }
        boolean matched = false;
        for (ClientSecret secret : client.get().secrets()) {
            matched |= secret.hash().matches(presentedSecret) & secret.active();
        }
        return matched
                ? new OrganizationClientAuthentication.Authenticated(client.get())
                : new OrganizationClientAuthentication.Rejected("secret does not match",
                        Optional.of(client.get().environmentId()));
    }

    private IssuedSecret storeSecret(String environmentId, String clientId, Instant now) {
        String plain = secrets.next(SECRET_PREFIX);
        ClientSecret secret = new ClientSecret(ids.next(IdPrefix.CLIENT_SECRET), clientId, SecretHash.of(plain),
                plain.substring(plain.length() - 4), now);
        clients.insertSecret(environmentId, secret);
        return new IssuedSecret(secret, plain);
    }

    private void requireOrganization(String environmentId, String organizationId) {
        if (organizations.findById(environmentId, organizationId).isEmpty()) {
            throw new DomainException.NotFound("organization " + organizationId + " not found");
        }
    }

    private void lock(String environmentId, String organizationId, String clientId) {
        if (!clients.lock(environmentId, organizationId, clientId)) {
            throw notFound(clientId);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static DomainException.NotFound notFound(String clientId) {
        return new DomainException.NotFound("client " + clientId + " not found");
    }
}
