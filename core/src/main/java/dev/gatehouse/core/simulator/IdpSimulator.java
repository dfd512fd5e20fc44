package dev.gatehouse.core.simulator;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.ConnectionRepository;
import dev.gatehouse.core.connection.Domain;
import dev.gatehouse.core.connection.DomainNames;
import dev.gatehouse.core.connection.DomainRepository;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentDirectory;
import dev.gatehouse.core.environment.EnvironmentType;
import dev.gatehouse.core.login.FederatedIdentity;
import dev.gatehouse.core.login.IdentityProviderRedirect;
import dev.gatehouse.core.login.IdentityProviderStarter;
import dev.gatehouse.core.login.LoginTransaction;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.user.UserService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in IdP simulator of development environments (spec-sso.md §6.2, docs/DECISIONS.md D-SIM1…D-SIM6):
 * it "signs in" whoever the tester types at an address of the test organization's domains, answers with an
 * error the tester picks, or starts an IdP-initiated login for such an address. As a starter it sends the browser to Gatehouse's own simulator page; the page asks it
 * whether a connection may be simulated and turns the form into a {@link FederatedIdentity}.
 * Production environments never get a simulator: the start and the page both refuse them.
 */
public final class IdpSimulator implements IdentityProviderStarter {
    public static final String PATH = "/sso/simulator/";
    public static final String REJECTED = "sso.simulator.rejected";
    /** The audit type of a signed hand-off token sent by the "IdP initiated SSO" scenario (D-SIM6). */
    public static final String IDP_INITIATED = "sso.simulator.idp_initiated";
    /** The longest RelayState the "IdP initiated SSO" scenario passes on (the SAML ACS accepts as much). */
    public static final int MAX_RELAY_STATE = 1024;
    public static final int MAX_NAME_LENGTH = 100;
    /** The seed's errors an OIDC identity provider can cause (spec-sso.md §1.5), offered by the "Error" scenario. */
    public static final Map<String, String> ERRORS = errors();

    private final EnvironmentDirectory environments;
    private final ConnectionRepository connections;
    private final DomainRepository domains;
    private final AuditTrail audit;
    private final Clock clock;

    public IdpSimulator(EnvironmentDirectory environments, ConnectionRepository connections, DomainRepository domains,
                        AuditTrail audit, Clock clock) {
        this.environments = environments;
        this.connections = connections;
        this.domains = domains;
        this.audit = audit;
        this.clock = clock;
    }

    /** What the tester typed on the simulator page, unchecked. */
    public record SimulatedUser(String email, String givenName, String familyName) {}

    /** The simulator's answer to a "Sign in" form. */
    public sealed interface SignIn {
        record Accepted(FederatedIdentity identity) implements SignIn {}

        /** The form is refused; {@code message} is shown on the simulator page. */
        record Refused(String message) implements SignIn {}
    }

    /** The simulator's answer to an "IdP initiated SSO" form. */
    public sealed interface IdpInitiated {
        /** The app's default redirect URI gets a token with this {@code login_hint} and {@code relay_state}. */
        record Accepted(String loginHint, Optional<String> relayState) implements IdpInitiated {}

        /** The form is refused; {@code message} is shown on the simulator page. */
        record Refused(String message) implements IdpInitiated {}
    }

    @Override
    public IdentityProviderRedirect start(String environmentId, String connectionId, LoginTransaction login) {
        Optional<Environment> environment = environments.byId(environmentId);
        if (environment.isEmpty() || environment.get().type() != EnvironmentType.DEVELOPMENT) {
            return new IdentityProviderRedirect.Unavailable("connection_not_active",
                    "This connection cannot be used to sign in",
                    "the IdP simulator is only available in development environments");
        }
        String issuer = environment.get().issuerUrl();
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return new IdentityProviderRedirect.Location(base + PATH + connectionId + "?login="
                + URLEncoder.encode(login.id(), StandardCharsets.UTF_8));
    }

    /**
     * The simulator connection {@code connectionId} of {@code environment}, if it may be simulated: the environment
     * is a development one and the connection is an enabled IdP-simulator connection of it. A refusal is audited.
     */
    public Optional<Connection> connection(Environment environment, String connectionId, String ipAddress) {
        if (environment.type() != EnvironmentType.DEVELOPMENT) {
            return refuse(environment, connectionId, ipAddress, "the IdP simulator is off in production environments");
        }
        Optional<Connection> found = connectionId != null && IdPrefix.CONNECTION.matches(connectionId)
                && connectionId.length() <= 32 ? connections.findById(environment.id(), connectionId) : Optional.empty();
        if (found.isEmpty()) {
            return refuse(environment, connectionId, ipAddress, "no such connection in this environment");
        }
        if (!found.get().isSimulator()) {
            return refuse(environment, connectionId, ipAddress, "not an IdP simulator connection");
        }
        if (!found.get().enabled()) {
            return refuse(environment, connectionId, ipAddress, "the connection is disabled");
        }
        return found;
    }

    /**
     * The identity the simulator vouches for: only addresses at one of the connection's organization's domains
     * (example.com, example.org for the test organization), so that a tester cannot sign in as a real user.
     */
    public SignIn signIn(Connection connection, SimulatedUser user) {
        String email = user.email() == null ? "" : user.email().strip();
        if (!UserService.isValidEmail(email)) {
            return new SignIn.Refused("Enter a valid email address.");
        }
        String domain = DomainNames.ofEmail(email).orElse("");
        List<String> allowed = domains.listByOrganizations(connection.environmentId(), List.of(connection.organizationId()))
                .stream().map(Domain::name).toList();
        if (!allowed.contains(domain)) {
            return new SignIn.Refused("The simulator signs in addresses at " + String.join(" or ", allowed) + " only.");
        }
        Optional<String> givenName = name(user.givenName());
        Optional<String> familyName = name(user.familyName());
        if (givenName.isEmpty() || familyName.isEmpty()) {
            return new SignIn.Refused("Enter a first and last name of at most " + MAX_NAME_LENGTH + " characters.");
        }
        String normalized = email.toLowerCase(Locale.ROOT);
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("sub", normalized);
        raw.put("email", normalized);
        raw.put("email_verified", "true");
        raw.put("given_name", givenName.get());
        raw.put("family_name", familyName.get());
        return new SignIn.Accepted(new FederatedIdentity(connection.id(), Optional.of(connection.organizationId()),
                connection.type().name(), connection.provider().name(), false, normalized, normalized, true, givenName,
                familyName, Optional.of(givenName.get() + " " + familyName.get()), Optional.empty(), Optional.empty(), raw,
                Map.of()));
    }

    /**
     * The "IdP initiated SSO" scenario (D-SIM6): the simulated IdP vouches for the same users as "Sign in"
     * ({@link #signIn}), but starts the login itself, so nobody is signed in here; the app receives a signed token
     * naming the connection and the user and starts an SP-initiated login with it. An empty RelayState is none.
     */
    public IdpInitiated idpInitiated(Connection connection, SimulatedUser user, String relayState) {
        String relay = relayState == null ? "" : relayState;
        if (relay.length() > MAX_RELAY_STATE) {
            return new IdpInitiated.Refused("The RelayState may have at most " + MAX_RELAY_STATE + " characters.");
        }
        return switch (signIn(connection, user)) {
            case SignIn.Accepted accepted -> new IdpInitiated.Accepted(accepted.identity().email(),
                    relay.isEmpty() ? Optional.empty() : Optional.of(relay));
            case SignIn.Refused refused -> new IdpInitiated.Refused(refused.message());
        };
    }

    /** Audits a hand-off token sent to the app's default redirect URI by the "IdP initiated SSO" scenario. */
    public void idpInitiatedSent(Environment environment, Connection connection, String loginHint, String ipAddress) {
        audit.append(new AuditRecord(clock.instant(), Optional.of(environment.id()), Optional.of(connection.organizationId()),
                IDP_INITIATED, AuditRecord.Outcome.SUCCESS, Optional.empty(),
                Optional.of("the IdP simulator started a login; idp_initiated_login sent to the default redirect URI"),
                Optional.of(ipAddress), Map.of("connection_id", connection.id(), "login_hint", loginHint)));
    }

    /** Audits a refused simulator form (a bad CSRF token, a login of another browser or connection). */
    public void reject(Environment environment, String connectionId, String ipAddress, String reason) {
        audit.append(new AuditRecord(clock.instant(), Optional.of(environment.id()), Optional.empty(), REJECTED,
                AuditRecord.Outcome.FAILURE, Optional.empty(), Optional.of(reason), Optional.of(ipAddress),
                Map.of("connection_id", truncate(connectionId))));
    }

    private Optional<Connection> refuse(Environment environment, String connectionId, String ipAddress, String reason) {
        reject(environment, connectionId, ipAddress, reason);
        return Optional.empty();
    }

    private static Optional<String> name(String value) {
        String stripped = value == null ? "" : value.strip();
        return stripped.isEmpty() || stripped.length() > MAX_NAME_LENGTH ? Optional.empty() : Optional.of(stripped);
    }

    private static String truncate(String value) {
        return value == null ? "" : value.length() > 64 ? value.substring(0, 64) : value;
    }

    private static Map<String, String> errors() {
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("mandatory_attribute_missing", "Mandatory user attributes are missing");
        errors.put("invalid_id_token", "The identity provider's ID token is invalid");
        errors.put("failed_to_exchange_token", "The token exchange with the identity provider failed");
        errors.put("user_info_retrieve_failed", "The user's details could not be retrieved from the identity provider");
        errors.put("server_error", "The identity provider reported an error");
        return java.util.Collections.unmodifiableMap(errors);
    }
}
