package dev.gatehouse.core.credential;

import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.shared.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates management clients and checks their secrets. A secret that verified is remembered for
 * {@link #VERIFIED_FOR} (its SHA-256, compared in constant time), so a client's next requests skip the two
 * lookups; {@link #forget} drops a client at once when its secrets change on this node (docs/DECISIONS.md D-TP1).
 */
public final class EnvironmentClientService {
    public static final String SECRET_PREFIX = "gsk_";
    public static final int MAX_SECRETS_PER_CLIENT = 5;
    /** How long a verified secret is trusted without reading storage; other nodes see a revocation within this. */
    public static final Duration VERIFIED_FOR = Duration.ofSeconds(5);
    static final int MAX_VERIFIED_CLIENTS = 10_000;

    private final EnvironmentClientRepository clients;
    private final IdGenerator ids;
    private final SecretGenerator secrets;
    private final Clock clock;
    private final Transactions transactions;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    /** Counts {@link #forget} calls, so a check that read storage before one does not remember its result. */
    private final AtomicLong forgets = new AtomicLong();

    /** A secret of {@code client} that matched recently: its hash, trusted until {@code until}. */
    private record Verified(SecretHash secret, EnvironmentClient client, Instant until) {}

    public EnvironmentClientService(EnvironmentClientRepository clients, IdGenerator ids, SecretGenerator secrets,
                                    Clock clock, Transactions transactions) {
        this.clients = clients;
        this.ids = ids;
        this.secrets = secrets;
        this.clock = clock;
        this.transactions = transactions;
    }

    /** A new client with a freshly generated secret, or with the given ID and secret (bootstrap). */
    public IssuedCredentials create(String environmentId, String name, Optional<String> fixedId, Optional<String> fixedSecret) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        EnvironmentClient client = new EnvironmentClient(
                fixedId.orElseGet(() -> ids.next(IdPrefix.ENVIRONMENT_CLIENT)), environmentId, name, now);
        String plain = fixedSecret.orElseGet(() -> secrets.next(SECRET_PREFIX));
        return transactions.inTransaction(() -> {
            clients.insert(client);
            storeSecret(environmentId, client.id(), plain, now);
            return new IssuedCredentials(client, plain);
        });
    }

    /** Adds a secret to an existing client; the old ones stay valid (rotation without downtime). */
    public IssuedCredentials addSecret(String environmentId, String clientId) {
        EnvironmentClient client = clients.findById(clientId)
                .filter(c -> c.environmentId().equals(environmentId))
                .orElseThrow(() -> new IllegalArgumentException("no client " + clientId + " in environment " + environmentId));
        if (clients.secrets(environmentId, clientId).size() >= MAX_SECRETS_PER_CLIENT) {
            throw new IllegalStateException("client " + clientId + " already has " + MAX_SECRETS_PER_CLIENT + " secrets");
        }
        String plain = secrets.next(SECRET_PREFIX);
        storeSecret(environmentId, clientId, plain, clock.instant().truncatedTo(ChronoUnit.MICROS));
        return new IssuedCredentials(client, plain);
    }

    /**
     * The management API's form of {@link #addSecret}: a client of another environment is NOT_FOUND and a
     * sixth secret FAILED_PRECONDITION. Call inside a transaction that has locked the client row, so two
     * concurrent calls cannot both pass the limit.
     */
    public IssuedSecret createSecret(String environmentId, String clientId) {
        clients.findById(clientId).filter(c -> c.environmentId().equals(environmentId))
                .orElseThrow(() -> new DomainException.NotFound("client " + clientId + " not found"));
        if (clients.secrets(environmentId, clientId).size() >= MAX_SECRETS_PER_CLIENT) {
            throw new DomainException.FailedPrecondition(
                    "client " + clientId + " already has " + MAX_SECRETS_PER_CLIENT + " secrets; delete one first");
        }
        String plain = secrets.next(SECRET_PREFIX);
        return new IssuedSecret(storeSecret(environmentId, clientId, plain, clock.instant().truncatedTo(ChronoUnit.MICROS)),
                plain);
    }

    /** Adds an operator-chosen secret (GATEHOUSE_BOOTSTRAP_CLIENT_SECRET) to an existing client. */
    public void addConfiguredSecret(String environmentId, String clientId, String plainSecret) {
        clients.findById(clientId)
                .filter(c -> c.environmentId().equals(environmentId))
                .orElseThrow(() -> new IllegalArgumentException("no client " + clientId + " in environment " + environmentId));
        if (clients.secrets(environmentId, clientId).size() >= MAX_SECRETS_PER_CLIENT) {
            throw new IllegalStateException("client " + clientId + " already has " + MAX_SECRETS_PER_CLIENT + " secrets");
        }
        storeSecret(environmentId, clientId, plainSecret, clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    public ClientAuthentication authenticate(String clientId, String presentedSecret) {
        if (clientId == null || clientId.isEmpty() || presentedSecret == null || presentedSecret.isEmpty()) {
            return new ClientAuthentication.Rejected("missing client credentials");
        }
        SecretHash presented = SecretHash.of(presentedSecret);
        Instant now = clock.instant();
        Verified recent = verified.get(clientId);
        if (recent != null && now.isBefore(recent.until()) && recent.secret().sameAs(presented)) {
            return new ClientAuthentication.Authenticated(recent.client());
        }
        long generation = forgets.get();
        Optional<EnvironmentClient> client = clients.findById(clientId);
        if (client.isEmpty()) {
            return new ClientAuthentication.Rejected("unknown client");
        }
        List<ClientSecret> stored = clients.secrets(client.get().environmentId(), clientId);
        boolean matched = false;
        for (ClientSecret secret : stored) {
            // Check every secret, so the time taken does not tell which one matched; INACTIVE ones never match.
            matched |= secret.hash().sameAs(presented) & secret.active();
        }
        if (!matched) {
            return new ClientAuthentication.Rejected("secret does not match", Optional.of(client.get().environmentId()));
        }
        remember(clientId, new Verified(presented, client.get(), now.plus(VERIFIED_FOR)), generation);
        return new ClientAuthentication.Authenticated(client.get());
    }

    /**
     * The client, when this node verified exactly this secret for it less than {@link #VERIFIED_FOR} ago; otherwise
     * empty (unknown, expired, another secret). Never reads storage, so an event loop may call it (D-TP11); a caller
     * that gets nothing goes on with {@link #authenticate}, which reads storage and answers every case.
     */
    public Optional<EnvironmentClient> remembered(String clientId, String presentedSecret) {
        if (clientId == null || presentedSecret == null || presentedSecret.isEmpty()) {
            return Optional.empty();
        }
        Verified recent = verified.get(clientId);
        if (recent == null || !clock.instant().isBefore(recent.until())) {
            return Optional.empty();
        }
        return recent.secret().sameAs(SecretHash.of(presentedSecret)) ? Optional.of(recent.client()) : Optional.empty();
    }

    /** Drops what this node remembers of a client's verified secret (after its secrets or the client changed). */
    public void forget(String clientId) {
        forgets.incrementAndGet();
        verified.remove(clientId);
    }

    private void remember(String clientId, Verified entry, long generation) {
        if (verified.size() >= MAX_VERIFIED_CLIENTS) {
            verified.clear(); // only clients with valid secrets get here; a full map is simply started again
        }
        verified.put(clientId, entry);
        if (forgets.get() != generation) {
            verified.remove(clientId, entry); // a forget ran while storage was read: the result may be stale
        }
    }

    private ClientSecret storeSecret(String environmentId, String clientId, String plain, Instant now) {
        String suffix = plain.substring(Math.max(0, plain.length() - 4));
        ClientSecret secret = new ClientSecret(ids.next(IdPrefix.CLIENT_SECRET), clientId, SecretHash.of(plain), suffix, now);
        clients.insertSecret(environmentId, secret);
        return secret;
    }
}
