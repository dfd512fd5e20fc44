package dev.gatehouse.saml.sso;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.connection.AttributeMappings;
import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.ConnectionRepository;
import dev.gatehouse.core.connection.ConnectionType;
import dev.gatehouse.core.connection.SamlSettings;
import dev.gatehouse.core.connection.ServiceProviderUrls;
import dev.gatehouse.core.login.FederatedIdentity;
import dev.gatehouse.core.login.LoginStep;
import dev.gatehouse.core.login.LoginTransaction;
import dev.gatehouse.core.login.LoginTransactionRepository;
import dev.gatehouse.saml.response.NameId;
import dev.gatehouse.saml.response.SamlRejection;
import dev.gatehouse.saml.response.SamlResponseValidator;
import dev.gatehouse.saml.response.SamlValidation;
import dev.gatehouse.saml.response.SigningRequirement;
import dev.gatehouse.saml.response.ValidatedAssertion;
import dev.gatehouse.saml.response.ValidationPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ACS's logic, free of HTTP: finds the connection, decides whether the response answers a waiting login (the
 * RelayState names a login of this connection still waiting for the IdP: then InResponseTo must be that login's
 * derived AuthnRequest ID) or is IdP-initiated (no request expected; the connection must allow it), validates it
 * with {@link SamlResponseValidator}, and maps the attributes into a {@link FederatedIdentity} (D-SS3). Refusals
 * are audited here ({@code sso.saml.response.rejected}).
 */
public final class SamlAssertionConsumer {
    /** The audit step of a verified assertion that lacks the email the mapping asks for. */
    public static final String MAPPING_STEP = "attribute_mapping";
    private static final int MAX_RAW_ATTRIBUTES = 50;
    private static final int MAX_RAW_VALUE = 1024;
    private static final int MAX_EMAIL = 320;

    private final ConnectionRepository connections;
    private final LoginTransactionRepository logins;
    private final SamlConnectionKeys keys;
    private final AuthnRequestIds requestIds;
    private final SamlResponseValidator validator;
    private final AuditTrail audit;
    private final Clock clock;
    private final Duration clockSkew;

    /**
     * {@code clockSkew} widens every time check of a response both ways (NotBefore, NotOnOrAfter, IssueInstant);
     * the server's setting {@code GATEHOUSE_SSO_CLOCK_SKEW_SECONDS}, two minutes by default.
     */
    public SamlAssertionConsumer(ConnectionRepository connections, LoginTransactionRepository logins,
                                 SamlConnectionKeys keys, AuthnRequestIds requestIds, SamlResponseValidator validator,
                                 AuditTrail audit, Clock clock, Duration clockSkew) {
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("clock skew must not be negative");
        }
        this.connections = connections;
        this.logins = logins;
        this.keys = keys;
        this.requestIds = requestIds;
        this.validator = validator;
        this.audit = audit;
        this.clock = clock;
        this.clockSkew = clockSkew;
    }

    /** One POSTed response. {@code issuerUrl} is the environment's (the SP URLs derive from it). */
    public AcsResult consume(String environmentId, String issuerUrl, String connectionId, String samlResponse,
                             Optional<String> relayState, Optional<String> remoteAddress) {
        Instant now = clock.instant();
        Optional<Connection> found = connections.findRecent(environmentId, connectionId)
                .filter(c -> c.type() == ConnectionType.SAML);
        if (found.isEmpty()) {
            audit.append(rejection(now, environmentId, Optional.empty(), connectionId, "unknown_connection",
                    "connection", "no SAML connection " + connectionId, remoteAddress));
            return new AcsResult.UnknownConnection();
        }
        Connection connection = found.get();
        Optional<LoginTransaction> waiting = relayState.flatMap(state -> logins.find(environmentId, state))
                .filter(t -> t.step() == LoginStep.AWAITING_IDP)
                .filter(t -> t.connectionId().equals(Optional.of(connectionId)))
                .filter(t -> t.expireTime().isAfter(now));
        Optional<String> loginId = waiting.map(LoginTransaction::id);
        // An admin portal's connection test may use a complete connection that is not enabled yet (D-AP4).
        if (!connection.canSignIn(waiting.filter(LoginTransaction::testsConnection).isPresent())) {
            return refuse(now, connection, loginId, "connection_not_active", "connection", "connection is disabled or incomplete",
                    remoteAddress);
        }
        SamlSettings saml = connection.saml().orElseThrow();
        ServiceProviderUrls urls = ServiceProviderUrls.of(issuerUrl, connection);
        SamlConnectionKeys.Keys connectionKeys = keys.of(connection);
        ValidationPolicy.Builder policy = ValidationPolicy.builder(environmentId, connectionId)
                .spEntityId(urls.samlEntityId())
                .acsUrl(urls.samlAcsUrl())
                .idpEntityId(saml.idpEntityId().orElseThrow())
                .idpCertificates(connectionKeys.idpCertificates())
                .signing(signing(saml))
                .allowIdpInitiated(saml.allowIdpInitiatedLogin())
                .requireEncryptedAssertion(saml.assertionEncrypted())
                .decryptionKeys(connectionKeys.sp().map(sp -> List.of(sp.privateKey())).orElse(List.of()))
                .allowSha1(saml.allowSha1Signatures())
                .clockSkew(clockSkew);
        loginId.ifPresent(id -> policy.expectedInResponseTo(requestIds.idFor(environmentId, connectionId, id)));
        SamlValidation validation = validator.validate(samlResponse, policy.build(), now);
        return switch (validation) {
            case SamlRejection rejected -> {
                audit.append(rejected.auditRecord(now, environmentId, Optional.of(connection.organizationId()),
                        connectionId, remoteAddress));
                yield new AcsResult.Refused(loginId, rejected.code().wire(), describe(rejected.code().wire()),
                        rejected.detail());
            }
            case ValidatedAssertion assertion -> accepted(now, connection, assertion, loginId, relayState, remoteAddress);
        };
    }

    private AcsResult accepted(Instant now, Connection connection, ValidatedAssertion assertion, Optional<String> loginId,
                               Optional<String> relayState, Optional<String> remoteAddress) {
        Map<String, String> mapping = connection.attributeMapping().isEmpty()
                ? AttributeMappings.defaults(connection.type(), connection.provider()) : connection.attributeMapping();
        Optional<String> email = mapped(assertion, mapping.get("email"))
                .or(() -> emailNameId(assertion.nameId()))
                .map(String::strip)
                .filter(v -> v.length() <= MAX_EMAIL && v.indexOf('@') > 0 && v.indexOf('@') < v.length() - 1
                        && v.chars().noneMatch(Character::isWhitespace));
        if (email.isEmpty()) {
            return refuse(now, connection, loginId, "mandatory_attribute_missing", MAPPING_STEP,
                    "the assertion has no usable value for the attribute mapped to email ("
                            + mapping.getOrDefault("email", "none") + ")", remoteAddress);
        }
        NameId nameId = assertion.nameId();
        boolean transient_ = nameId.format().filter(f -> f.endsWith(":transient")).isPresent();
        String subject = transient_ ? email.get()
                : mapped(assertion, mapping.getOrDefault("sub", AttributeMappings.NAME_ID)).orElse(nameId.value());
        Map<String, String> raw = new LinkedHashMap<>();
        assertion.attributesByName().forEach((name, values) -> {
            if (raw.size() < MAX_RAW_ATTRIBUTES && !values.isEmpty()) {
                String value = String.join(",", values);
                raw.put(name, value.length() > MAX_RAW_VALUE ? value.substring(0, MAX_RAW_VALUE) : value);
            }
        });
        FederatedIdentity identity = new FederatedIdentity(connection.id(), Optional.of(connection.organizationId()),
                "SAML", connection.provider().name(), false, subject, email.get(), true,
                mapped(assertion, mapping.get("given_name")), mapped(assertion, mapping.get("family_name")),
                mapped(assertion, mapping.get("name")), mapped(assertion, mapping.get("locale")),
                mapped(assertion, mapping.get("picture")), raw,
                AttributeMappings.customAttributes(mapping, attribute -> mapped(assertion, attribute)));
        if (loginId.isPresent()) {
            return new AcsResult.SignedIn(loginId.get(), identity);
        }
        return new AcsResult.IdpInitiated(connection, identity, relayState);
    }

    /** The first value of the mapped attribute; {@code nameid} is the Subject's NameID. */
    private static Optional<String> mapped(ValidatedAssertion assertion, String attribute) {
        if (attribute == null) {
            return Optional.empty();
        }
        if (attribute.equals(AttributeMappings.NAME_ID)) {
            return Optional.of(assertion.nameId().value()).filter(v -> !v.isBlank());
        }
        return assertion.values(attribute).stream().filter(v -> !v.isBlank()).findFirst();
    }

    /** A NameID of the emailAddress format stands in for a missing email attribute. */
    private static Optional<String> emailNameId(NameId nameId) {
        return nameId.format().filter(f -> f.endsWith(":emailAddress")).map(f -> nameId.value());
    }

    private static SigningRequirement signing(SamlSettings saml) {
        return switch (saml.signingOption()) {
            case NO_SIGNING -> SigningRequirement.NONE;
            case RESPONSE_ONLY -> SigningRequirement.RESPONSE;
            case ASSERTION_ONLY -> SigningRequirement.ASSERTION;
            case RESPONSE_AND_ASSERTION -> SigningRequirement.BOTH;
            case RESPONSE_OR_ASSERTION -> SigningRequirement.EITHER;
        };
    }

    private AcsResult refuse(Instant now, Connection connection, Optional<String> loginId, String code, String step,
                             String reason, Optional<String> remoteAddress) {
        audit.append(rejection(now, connection.environmentId(), Optional.of(connection.organizationId()), connection.id(),
                code, step, reason, remoteAddress));
        return new AcsResult.Refused(loginId, code, describe(code), reason);
    }

    private static AuditRecord rejection(Instant now, String environmentId, Optional<String> organizationId,
                                         String connectionId, String code, String step, String reason,
                                         Optional<String> remoteAddress) {
        return new AuditRecord(now, Optional.of(environmentId), organizationId, SamlRejection.AUDIT_TYPE,
                AuditRecord.Outcome.FAILURE, Optional.empty(), Optional.of(reason), remoteAddress,
                Map.of("error", code, "step", step, "connection_id", connectionId));
    }

    /** The app-facing description of a seed code (never the admin's reason). */
    static String describe(String code) {
        return switch (code) {
            case "mandatory_attribute_missing" -> "The identity provider did not send the user's email address";
            case "connection_not_active" -> "This connection cannot be used to sign in";
            case "signature_validation_failed" -> "The SAML response signature could not be validated";
            case "assertion_expired" -> "The SAML assertion has expired";
            case "response_expired" -> "The SAML response has expired";
            case "invalid_acs_url" -> "The SAML response was not addressed to this service provider";
            case "invalid_status" -> "The identity provider did not authenticate the user";
            case "malformed_saml_response" -> "The SAML response could not be read";
            default -> "The SAML response was rejected";
        };
    }
}
