package dev.gatehouse.core.connection;

import dev.gatehouse.core.event.Event;
import dev.gatehouse.core.event.EventTypes;
import dev.gatehouse.core.event.Json;
import dev.gatehouse.core.event.Outbox;
import dev.gatehouse.core.key.SecretSealer;
import dev.gatehouse.core.organization.OrganizationRepository;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.FieldViolation;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.core.shared.Transactions;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The use cases of the Connections API: create, read, list, update (SAML and OIDC settings, IdP metadata by URL
 * or XML, attribute mapping), enable/disable, delete, domain assignment, and the scheduled refresh of IdP metadata
 * URLs. Every change appends its {@code organization.sso_*} event to the outbox in the same transaction
 * (docs/EVENTS.md). Secrets (OIDC client secrets, SP private keys) are sealed under the master key.
 */
public final class ConnectionService {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionService.class);
    /** {@code ListConnections} without a filter answers at most this many (the paged listing has them all). */
    public static final int MAX_UNPAGED = 1000;
    /** What answers show in place of a stored OIDC client secret; sending it back leaves the secret unchanged. */
    public static final String MASKED_SECRET = "********";
    /** After a failed scheduled metadata refresh, the next try. */
    public static final Duration METADATA_RETRY = Duration.ofMinutes(15);
    public static final int MAX_ASSIGNED_DOMAINS = 50;
    public static final int MAX_METADATA_BYTES = 1024 * 1024;
    private static final int MAX_TEXT = 1024;
    private static final int MAX_SECRET = 4096;
    private static final int MAX_BUTTON_TITLE = 100;

    private final ConnectionRepository connections;
    private final DomainRepository domains;
    private final OrganizationRepository organizations;
    private final IdpMetadataFetcher metadataFetcher;
    private final IdpMetadataParser metadataParser;
    private final SpCredentialGenerator spCredentials;
    private final SecretSealer sealer;
    private final IdGenerator ids;
    private final Clock clock;
    private final Transactions tx;
    private final Outbox outbox;
    private final Duration metadataRefreshInterval;

    public ConnectionService(ConnectionRepository connections, DomainRepository domains, OrganizationRepository organizations,
                             IdpMetadataFetcher metadataFetcher, IdpMetadataParser metadataParser,
                             SpCredentialGenerator spCredentials, SecretSealer sealer, IdGenerator ids, Clock clock,
                             Transactions tx, Outbox outbox, Duration metadataRefreshInterval) {
        this.connections = connections;
        this.domains = domains;
        this.organizations = organizations;
        this.metadataFetcher = metadataFetcher;
        this.metadataParser = metadataParser;
        this.spCredentials = spCredentials;
        this.sealer = sealer;
        this.ids = ids;
        this.clock = clock;
        this.tx = tx;
        this.outbox = outbox;
        this.metadataRefreshInterval = metadataRefreshInterval;
    }

    // ------------------------------------------------------------------ create, read, list

    /** A new DRAFT connection, disabled, with its provider's default attribute mapping (and an SP key pair for SAML). */
    public Connection create(String environmentId, String organizationId, NewConnection request) {
        if (organizations.findById(environmentId, organizationId).isEmpty()) {
            throw new DomainException.NotFound("organization " + organizationId + " not found");
        }
        Instant now = now();
        String id = ids.next(IdPrefix.CONNECTION);
        ConnectionSettings settings = request.type() == ConnectionType.SAML ? SamlSettings.empty() : OidcSettings.empty();
        Connection created = new Connection(id, environmentId, organizationId, request.type(), request.provider(), false,
                false, Optional.empty(), AttributeMappings.defaults(request.type(), request.provider()), settings,
                Optional.empty(), now, now);
        if (request.type() == ConnectionType.SAML) {
            Optional<SpCredential> credential = newSpCredential(id);
            if (credential.isPresent()) {
                created = created.withSpCredential(credential.get());
            }
        }
        Connection connection = created;
        return tx.inTransaction(() -> {
            connections.insert(connection);
            emit(EventTypes.ORGANIZATION_SSO_CREATED, connection, now);
            return connection;
        });
    }

    /** The connection, in the organization when one is named (else anywhere in the environment). */
    public Connection get(String environmentId, Optional<String> organizationId, String connectionId) {
        return connections.findById(environmentId, connectionId)
                .filter(c -> organizationId.map(c.organizationId()::equals).orElse(true))
                .orElseThrow(() -> new DomainException.NotFound("connection " + connectionId + " not found"));
    }

    public List<Connection> listByOrganization(String environmentId, String organizationId) {
        if (organizations.findById(environmentId, organizationId).isEmpty()) {
            throw new DomainException.NotFound("organization " + organizationId + " not found");
        }
        return connections.listByOrganization(environmentId, organizationId);
    }

    /**
     * The connections a login of {@code domain} may use (R-SSO-92): the one the domain is assigned to, else the
     * organization's connections open to every domain; only active ones unless {@code includeAll}.
     */
    public List<Connection> listByDomain(String environmentId, String domain, boolean includeAll) {
        String name = switch (DomainNames.normalize(domain)) {
            case DomainNames.Result.Valid valid -> valid.name();
            case DomainNames.Result.Invalid invalid -> throw DomainException.InvalidArgument.of("domain", invalid.reason(), "string.hostname");
        };
        Optional<DomainRoute> route = connections.domainRoute(environmentId, name)
                .filter(r -> r.domain().type() == DomainType.ORGANIZATION_DOMAIN);
        if (route.isEmpty()) {
            return List.of();
        }
        OrganizationRoute organization = route.get().organization();
        Optional<String> pinned = route.get().domain().connectionId();
        return organization.connections().stream()
                .filter(c -> pinned.map(c.id()::equals).orElse(!organization.isRestricted(c)))
                .filter(c -> includeAll || c.isActive())
                .toList();
    }

    /** The environment's connections in creation order, at most {@link #MAX_UNPAGED}. */
    public List<Connection> listAll(String environmentId) {
        return connections.list(environmentId, MAX_UNPAGED);
    }

    public Page<Connection> page(String environmentId, ConnectionFilter filter, PageRequest page) {
        Optional<String> query = filter.query().map(String::strip).filter(q -> !q.isEmpty());
        if (query.isPresent() && query.get().length() > 100) {
            throw DomainException.InvalidArgument.of("query", "query must be at most 100 characters", "string.max_len");
        }
        return connections.page(environmentId, new ConnectionFilter(query, filter.provider(), filter.status(),
                filter.type(), filter.enabled()), page);
    }

    /**
     * The domains shown on each connection: those assigned to it, or (when none is) the organization's
     * unassigned ORGANIZATION_DOMAIN domains, which route to it when it is the organization's default.
     */
    public Map<String, List<Domain>> domainsOf(String environmentId, Collection<Connection> list) {
        Set<String> organizationIds = list.stream().map(Connection::organizationId).collect(Collectors.toCollection(LinkedHashSet::new));
        Map<String, List<Domain>> byOrganization = new HashMap<>();
        if (!organizationIds.isEmpty()) {
            for (Domain d : domains.listByOrganizations(environmentId, organizationIds)) {
                byOrganization.computeIfAbsent(d.organizationId(), k -> new ArrayList<>()).add(d);
            }
        }
        Map<String, List<Domain>> result = new LinkedHashMap<>();
        for (Connection c : list) {
            List<Domain> all = byOrganization.getOrDefault(c.organizationId(), List.of());
            List<Domain> assigned = all.stream().filter(d -> d.connectionId().equals(Optional.of(c.id()))).toList();
            result.put(c.id(), !assigned.isEmpty() ? assigned : all.stream()
                    .filter(d -> d.connectionId().isEmpty() && d.type() == DomainType.ORGANIZATION_DOMAIN).toList());
        }
        return result;
    }

    /** The display names of these organizations of the environment (for listings). */
    public Map<String, String> organizationNames(String environmentId, Collection<String> organizationIds) {
        Map<String, String> names = new HashMap<>();
        for (String id : new LinkedHashSet<>(organizationIds)) {
            organizations.findById(environmentId, id).ifPresent(o -> names.put(id, o.displayName()));
        }
        return names;
    }

    // ------------------------------------------------------------------ update

    public Connection update(String environmentId, Optional<String> organizationId, String connectionId, ConnectionPatch patch) {
        Connection before = get(environmentId, organizationId, connectionId);
        checkShape(before, patch);
        Optional<IdpMetadata> metadata = patch.saml().flatMap(this::metadataOf);
        Instant now = now();
        return tx.inTransaction(() -> {
            Connection current = get(environmentId, organizationId, connectionId);
            Connection updated = apply(current, patch, metadata, now);
            if (current.enabled() && updated.status() != ConnectionStatus.COMPLETED) {
                throw new DomainException.FailedPrecondition("an enabled connection must stay completely configured; missing: "
                        + String.join(", ", updated.settings().missing(updated.debugEnabled())) + " (disable it first)");
            }
            if (!connections.update(updated)) {
                throw new DomainException.NotFound("connection " + connectionId + " not found");
            }
            Optional<String> urlBefore = current.saml().flatMap(SamlSettings::idpMetadataUrl);
            Optional<String> urlAfter = updated.saml().flatMap(SamlSettings::idpMetadataUrl);
            if (!urlBefore.equals(urlAfter)) {
                connections.scheduleMetadataRefresh(environmentId, connectionId, urlAfter.map(u -> now.plus(metadataRefreshInterval)));
            }
            emit(EventTypes.ORGANIZATION_SSO_UPDATED, updated, now);
            return updated;
        });
    }

    private static void checkShape(Connection current, ConnectionPatch patch) {
        if (patch.type().isPresent() && patch.type().get() != current.type()) {
            throw DomainException.InvalidArgument.of("connection.type", "the type of a connection cannot be changed", "immutable");
        }
        if (patch.saml().isPresent() && current.type() != ConnectionType.SAML) {
            throw DomainException.InvalidArgument.of("connection.saml_config", "saml_config is only for SAML connections", "oneof");
        }
        if (patch.oidc().isPresent() && current.type() != ConnectionType.OIDC) {
            throw DomainException.InvalidArgument.of("connection.oidc_config", "oidc_config is only for OIDC connections", "oneof");
        }
        patch.saml().ifPresent(saml -> {
            boolean byUrl = saml.idpMetadataUrl().filter(u -> !u.isBlank()).isPresent();
            boolean byXml = saml.idpMetadataXml().filter(x -> !x.isBlank()).isPresent();
            if (byUrl && byXml) {
                throw DomainException.InvalidArgument.of("connection.saml_config.idp_metadata_xml",
                        "give the IdP metadata by URL or by XML, not both", "oneof");
            }
            if ((byUrl || byXml) && saml.setsManualIdp()) {
                throw DomainException.InvalidArgument.of("connection.saml_config.idp_metadata_url",
                        "give the IdP either as metadata or as entity ID, SSO URL and certificate, not both", "oneof");
            }
        });
    }

    /** Fetches and parses the metadata a SAML patch names, outside any transaction. */
    private Optional<IdpMetadata> metadataOf(SamlPatch patch) {
        String field = "connection.saml_config.idp_metadata_url";
        byte[] document;
        if (patch.idpMetadataUrl().filter(u -> !u.isBlank()).isPresent()) {
            String url = patch.idpMetadataUrl().get().strip();
            List<FieldViolation> violations = new ArrayList<>();
            IdpUrls.check(field, url, true, violations);
            throwIfAny(violations);
            try {
                document = metadataFetcher.fetch(url);
            } catch (IdpMetadataException e) {
                throw DomainException.InvalidArgument.of(field, "invalid_saml_metadata: " + e.getMessage(), "invalid_saml_metadata");
            }
        } else if (patch.idpMetadataXml().filter(x -> !x.isBlank()).isPresent()) {
            field = "connection.saml_config.idp_metadata_xml";
            document = patch.idpMetadataXml().get().getBytes(StandardCharsets.UTF_8);
            if (document.length > MAX_METADATA_BYTES) {
                throw DomainException.InvalidArgument.of(field, "idp_metadata_xml must be at most 1 MiB", "string.max_len");
            }
        } else {
            return Optional.empty();
        }
        try {
            return Optional.of(metadataParser.parse(document));
        } catch (IdpMetadataException e) {
            throw DomainException.InvalidArgument.of(field, "invalid_saml_metadata: " + e.getMessage(), "invalid_saml_metadata");
        }
    }

    private Connection apply(Connection current, ConnectionPatch patch, Optional<IdpMetadata> metadata, Instant now) {
        List<FieldViolation> violations = new ArrayList<>();
        boolean debug = patch.debugEnabled().orElse(current.debugEnabled());
        Optional<String> title = current.uiButtonTitle();
        if (patch.uiButtonTitle().isPresent()) {
            String value = patch.uiButtonTitle().get().strip();
            if (value.length() > MAX_BUTTON_TITLE || value.chars().anyMatch(Character::isISOControl)) {
                violations.add(new FieldViolation("connection.ui_button_title",
                        "ui_button_title must be at most " + MAX_BUTTON_TITLE + " characters", "string.max_len"));
            }
            title = Optional.of(value).filter(v -> !v.isEmpty());
        }
        Map<String, String> mapping = current.attributeMapping();
        if (patch.attributeMapping().isPresent() && !patch.attributeMapping().get().isEmpty()) {
            mapping = patch.attributeMapping().get();
            AttributeMappings.check("connection.attribute_mapping", mapping, violations);
        }
        ConnectionSettings settings = current.settings();
        if (patch.saml().isPresent()) {
            settings = applySaml((SamlSettings) settings, patch.saml().get(), metadata, debug, now, violations);
        }
        if (patch.oidc().isPresent()) {
            settings = applyOidc(current.id(), (OidcSettings) settings, patch.oidc().get(), debug, violations);
        }
        if (settings instanceof SamlSettings saml && saml.signingOption() == SamlSigningOption.NO_SIGNING && !debug) {
            violations.add(new FieldViolation("connection.saml_config.saml_signing_option",
                    "NO_SIGNING accepts forged assertions and is allowed only with debug_enabled", "enum.not_in"));
        }
        throwIfAny(violations);
        return new Connection(current.id(), current.environmentId(), current.organizationId(), current.type(),
                patch.provider().orElse(current.provider()), current.enabled(), debug, title, mapping, settings,
                current.spCredential(), current.createTime(), now);
    }

    private SamlSettings applySaml(SamlSettings s, SamlPatch p, Optional<IdpMetadata> metadata, boolean debug,
                                   Instant now, List<FieldViolation> violations) {
        String f = "connection.saml_config.";
        Optional<String> metadataUrl = s.idpMetadataUrl();
        Optional<String> entityId = s.idpEntityId();
        Optional<String> ssoUrl = s.idpSsoUrl();
        Optional<String> sloUrl = s.idpSloUrl();
        List<IdpCertificate> certificates = s.idpCertificates();
        RequestBinding ssoBinding = p.ssoRequestBinding().orElse(s.ssoRequestBinding());
        RequestBinding sloBinding = p.sloRequestBinding().orElse(s.sloRequestBinding());
        boolean wantRequestSigned = p.wantRequestSigned().orElse(s.wantRequestSigned());
        Optional<Instant> refreshedAt = s.metadataRefreshedAt();
        Optional<String> metadataError = s.metadataError();

        if (p.idpMetadataUrl().isPresent() && p.idpMetadataUrl().get().isBlank()) {
            metadataUrl = Optional.empty(); // back to manual configuration; the last known details stay
            refreshedAt = Optional.empty();
            metadataError = Optional.empty();
        }
        if (metadata.isPresent()) {
            IdpMetadata m = metadata.get();
            Learnt learnt = learn(m, ssoBinding, sloBinding, certificates, debug, now, violations, f);
            metadataUrl = p.idpMetadataUrl().filter(u -> !u.isBlank()).map(String::strip);
            entityId = Optional.of(m.entityId());
            ssoUrl = learnt.ssoUrl();
            ssoBinding = learnt.ssoBinding();
            sloUrl = learnt.sloUrl();
            sloBinding = learnt.sloBinding();
            certificates = learnt.certificates();
            wantRequestSigned |= m.wantAuthnRequestsSigned();
            refreshedAt = metadataUrl.map(u -> now);
            metadataError = Optional.empty();
        }
        if (p.idpEntityId().isPresent()) {
            entityId = text(f + "idp_entity_id", p.idpEntityId().get(), MAX_TEXT, true, violations);
        }
        if (p.idpSsoUrl().isPresent()) {
            ssoUrl = IdpUrls.check(f + "idp_sso_url", p.idpSsoUrl().get(), debug, violations);
        }
        if (p.idpSloUrl().isPresent()) {
            sloUrl = IdpUrls.check(f + "idp_slo_url", p.idpSloUrl().get(), debug, violations);
        }
        if (p.idpCertificates().isPresent()) {
            certificates = p.idpCertificates().get().isBlank() ? List.of()
                    : certificates(f + "idp_certificate", p.idpCertificates().get(), s.idpCertificates(), now, violations);
        }
        Optional<String> defaultRedirect = s.defaultRedirectUri();
        if (p.defaultRedirectUri().isPresent()) {
            String value = p.defaultRedirectUri().get();
            defaultRedirect = IdpUrls.check(f + "default_redirect_uri", value, debug || IdpUrls.isLoopback(value.strip()), violations);
        }
        Optional<String> spEntityId = s.spEntityId();
        if (p.spEntityId().isPresent()) {
            spEntityId = text(f + "sp_entity_id", p.spEntityId().get(), MAX_TEXT, true, violations);
        }
        return new SamlSettings(metadataUrl, entityId, ssoUrl, sloUrl, certificates,
                p.nameIdFormat().orElse(s.nameIdFormat()), ssoBinding, sloBinding,
                p.signingOption().orElse(s.signingOption()), wantRequestSigned,
                p.assertionEncrypted().orElse(s.assertionEncrypted()), p.forceAuthn().orElse(s.forceAuthn()),
                p.allowIdpInitiatedLogin().orElse(s.allowIdpInitiatedLogin()), p.idpSloRequired().orElse(s.idpSloRequired()),
                p.allowSha1Signatures().orElse(s.allowSha1Signatures()), defaultRedirect, spEntityId, refreshedAt, metadataError);
    }

    /** The IdP details taken from metadata: endpoints for the preferred bindings, and the certificates. */
    private record Learnt(Optional<String> ssoUrl, RequestBinding ssoBinding, Optional<String> sloUrl,
                          RequestBinding sloBinding, List<IdpCertificate> certificates) {}

    private Learnt learn(IdpMetadata m, RequestBinding ssoBinding, RequestBinding sloBinding, List<IdpCertificate> known,
                         boolean debug, Instant now, List<FieldViolation> violations, String f) {
        String field = f + "idp_metadata_url";
        RequestBinding sso = m.ssoUrls().containsKey(ssoBinding) ? ssoBinding
                : m.ssoUrls().containsKey(RequestBinding.HTTP_POST) ? RequestBinding.HTTP_POST : RequestBinding.HTTP_REDIRECT;
        Optional<String> ssoUrl = Optional.ofNullable(m.ssoUrls().get(sso));
        if (ssoUrl.isEmpty()) {
            violations.add(new FieldViolation(field, "invalid_saml_metadata: the metadata has no SingleSignOnService "
                    + "with the HTTP-POST or HTTP-Redirect binding", "invalid_saml_metadata"));
        } else {
            ssoUrl = IdpUrls.check(field, "the metadata's SingleSignOnService URL " + ssoUrl.get(), ssoUrl.get(), debug,
                    violations);
        }
        RequestBinding slo = m.sloUrls().containsKey(sloBinding) ? sloBinding
                : m.sloUrls().containsKey(RequestBinding.HTTP_POST) ? RequestBinding.HTTP_POST : RequestBinding.HTTP_REDIRECT;
        Optional<String> sloUrl = Optional.ofNullable(m.sloUrls().get(slo))
                .flatMap(u -> IdpUrls.check(field, "the metadata's SingleLogoutService URL " + u, u, debug, violations));
        if (m.signingCertificates().isEmpty()) {
            violations.add(new FieldViolation(field, "invalid_saml_metadata: the metadata has no signing certificate",
                    "invalid_saml_metadata"));
        }
        if (m.signingCertificates().size() > IdpCertificates.MAX_CERTIFICATES) {
            violations.add(new FieldViolation(field, "invalid_saml_metadata: the metadata lists more than "
                    + IdpCertificates.MAX_CERTIFICATES + " signing certificates", "invalid_saml_metadata"));
        }
        return new Learnt(ssoUrl, sso, sloUrl, sloUrl.isPresent() ? slo : sloBinding,
                describe(m.signingCertificates(), known, now));
    }

    private List<IdpCertificate> certificates(String field, String text, List<IdpCertificate> known, Instant now,
                                              List<FieldViolation> violations) {
        try {
            return describe(IdpCertificates.parse(text), known, now);
        } catch (IllegalArgumentException e) {
            violations.add(new FieldViolation(field, e.getMessage(), "x509"));
            return known;
        }
    }

    /** Certificates to store; one already known (same SHA-256) keeps its ID and creation time. */
    private List<IdpCertificate> describe(List<X509Certificate> certificates, List<IdpCertificate> known, Instant now) {
        Map<String, IdpCertificate> byFingerprint = new HashMap<>();
        known.forEach(c -> byFingerprint.put(c.sha256Fingerprint(), c));
        Map<String, IdpCertificate> result = new LinkedHashMap<>();
        for (X509Certificate certificate : certificates) {
            String fingerprint = IdpCertificates.fingerprint(certificate);
            IdpCertificate previous = byFingerprint.get(fingerprint);
            result.putIfAbsent(fingerprint, previous != null ? previous
                    : IdpCertificates.describe(ids.next(IdPrefix.IDP_CERTIFICATE), certificate, now));
        }
        return List.copyOf(result.values());
    }

    private OidcSettings applyOidc(String connectionId, OidcSettings s, OidcPatch p, boolean debug, List<FieldViolation> violations) {
        String f = "connection.oidc_config.";
        Optional<String> issuer = p.issuer().isPresent() ? IdpUrls.check(f + "issuer", p.issuer().get(), debug, violations) : s.issuer();
        Optional<String> discovery = p.discoveryEndpoint().isPresent()
                ? IdpUrls.check(f + "discovery_endpoint", p.discoveryEndpoint().get(), debug, violations) : s.discoveryEndpoint();
        Optional<String> authorize = p.authorizeUri().isPresent()
                ? IdpUrls.check(f + "authorize_uri", p.authorizeUri().get(), debug, violations) : s.authorizeUri();
        Optional<String> token = p.tokenUri().isPresent() ? IdpUrls.check(f + "token_uri", p.tokenUri().get(), debug, violations) : s.tokenUri();
        Optional<String> userInfo = p.userInfoUri().isPresent()
                ? IdpUrls.check(f + "user_info_uri", p.userInfoUri().get(), debug, violations) : s.userInfoUri();
        Optional<String> jwks = p.jwksUri().isPresent() ? IdpUrls.check(f + "jwks_uri", p.jwksUri().get(), debug, violations) : s.jwksUri();
        Optional<String> clientId = p.clientId().isPresent() ? text(f + "client_id", p.clientId().get(), MAX_TEXT, false, violations)
                : s.clientId();
        Optional<SealedValue> secret = s.clientSecret();
        if (p.clientSecret().isPresent() && !p.clientSecret().get().equals(MASKED_SECRET)) {
            String value = p.clientSecret().get();
            if (value.isEmpty()) {
                secret = Optional.empty();
            } else if (value.length() > MAX_SECRET || value.chars().anyMatch(Character::isISOControl)) {
                violations.add(new FieldViolation(f + "client_secret", "client_secret must be at most " + MAX_SECRET
                        + " characters without control characters", "string.max_len"));
            } else {
                secret = Optional.of(seal(value.getBytes(StandardCharsets.UTF_8), clientSecretPurpose(connectionId)));
            }
        }
        List<String> scopes = s.scopes();
        if (p.scopes().isPresent() && !p.scopes().get().isEmpty()) {
            LinkedHashSet<String> requested = new LinkedHashSet<>(p.scopes().get());
            if (!OidcSettings.ALLOWED_SCOPES.containsAll(requested) || !requested.contains("openid")) {
                violations.add(new FieldViolation(f + "scopes", "scopes must include openid and be among "
                        + String.join(", ", OidcSettings.ALLOWED_SCOPES), "repeated.items"));
            } else {
                scopes = List.copyOf(requested);
            }
        }
        return new OidcSettings(issuer, discovery, authorize, token, userInfo, jwks, clientId, secret, scopes,
                p.tokenAuthMethod().orElse(s.tokenAuthMethod()), p.pkceEnabled().orElse(s.pkceEnabled()),
                p.idpLogoutRequired().orElse(s.idpLogoutRequired()));
    }

    // ------------------------------------------------------------------ enable, disable, delete, domains

    /** The outcome of enable/disable: the resulting state and, when nothing changed, why. */
    public record Toggle(boolean enabled, Optional<String> errorMessage) {}

    /** Enables (only a COMPLETED connection) or disables; emits organization.sso_enabled / sso_disabled on a change. */
    public Toggle setEnabled(String environmentId, Optional<String> organizationId, String connectionId, boolean enabled) {
        return tx.inTransaction(() -> {
            Connection current = get(environmentId, organizationId, connectionId);
            if (current.enabled() == enabled) {
                return new Toggle(enabled, Optional.of("The connection is already " + (enabled ? "enabled" : "disabled")));
            }
            if (enabled && current.status() != ConnectionStatus.COMPLETED) {
                throw new DomainException.FailedPrecondition("the connection is not completely configured; missing: "
                        + String.join(", ", current.settings().missing(current.debugEnabled())));
            }
            Instant now = now();
            Connection updated = current.withEnabled(enabled, now);
            connections.update(updated);
            emit(enabled ? EventTypes.ORGANIZATION_SSO_ENABLED : EventTypes.ORGANIZATION_SSO_DISABLED, updated, now);
            return new Toggle(enabled, Optional.empty());
        });
    }

    public void delete(String environmentId, Optional<String> organizationId, String connectionId) {
        tx.inTransaction(() -> {
            Connection current = get(environmentId, organizationId, connectionId);
            if (!connections.delete(environmentId, current.id())) {
                throw new DomainException.NotFound("connection " + connectionId + " not found");
            }
            emit(EventTypes.ORGANIZATION_SSO_DELETED, current, now());
            return null;
        });
    }

    /**
     * Assigns exactly these domains of the organization to the connection (replacing its previous ones), which
     * restricts it to users of those domains; an empty list opens it to every domain again.
     */
    public Connection assignDomains(String environmentId, String organizationId, String connectionId, List<String> domainIds) {
        if (domainIds.size() > MAX_ASSIGNED_DOMAINS) {
            throw DomainException.InvalidArgument.of("domain_ids", "at most " + MAX_ASSIGNED_DOMAINS + " domains", "repeated.max_items");
        }
        return tx.inTransaction(() -> {
            Connection connection = get(environmentId, Optional.of(organizationId), connectionId);
            Instant now = now();
            Set<String> wanted = new LinkedHashSet<>(domainIds);
            for (String domainId : wanted) {
                Domain domain = domains.findById(environmentId, organizationId, domainId)
                        .orElseThrow(() -> new DomainException.NotFound("domain " + domainId + " not found"));
                if (!domain.connectionId().equals(Optional.of(connectionId))) {
                    domains.update(domain.withConnection(Optional.of(connectionId), now));
                }
            }
            for (Domain domain : domains.listByOrganizations(environmentId, List.of(organizationId))) {
                if (domain.connectionId().equals(Optional.of(connectionId)) && !wanted.contains(domain.id())) {
                    domains.update(domain.withConnection(Optional.empty(), now));
                }
            }
            return connection;
        });
    }

    // ------------------------------------------------------------------ secrets for the login flows

    /** The OIDC connection's client secret in clear, for the token request to the IdP; never for an API answer. */
    public Optional<String> oidcClientSecret(Connection connection) {
        return connection.oidc().flatMap(OidcSettings::clientSecret)
                .map(sealed -> new String(open(sealed, clientSecretPurpose(connection.id())), StandardCharsets.UTF_8));
    }

    /** The SP private key (PKCS#8 DER) of a SAML connection, for signing AuthnRequests and decrypting assertions. */
    public Optional<byte[]> spPrivateKey(Connection connection) {
        return connection.spCredential().map(c -> open(c.sealedPrivateKey(), spKeyPurpose(connection.id())));
    }

    /** Gives a SAML connection made before the SP key generator was wired its key pair (no-op when it has one). */
    public Connection ensureSpCredential(String environmentId, String connectionId) {
        return tx.inTransaction(() -> {
            Connection current = get(environmentId, Optional.empty(), connectionId);
            if (current.type() != ConnectionType.SAML || current.spCredential().isPresent()) {
                return current;
            }
            Optional<SpCredential> credential = newSpCredential(current.id());
            if (credential.isEmpty()) {
                return current;
            }
            Connection updated = current.withSpCredential(credential.get());
            connections.update(updated);
            return updated;
        });
    }

    private Optional<SpCredential> newSpCredential(String connectionId) {
        return spCredentials.generate(connectionId).map(g -> new SpCredential(ids.next(IdPrefix.SP_CERTIFICATE),
                g.certificatePem(), g.expiryTime(), seal(g.privateKeyPkcs8(), spKeyPurpose(connectionId))));
    }

    // ------------------------------------------------------------------ metadata refresh (scheduler)

    /**
     * Refreshes the IdP metadata of connections whose refresh is due (any environment), at most {@code limit};
     * returns how many were refreshed. A failed fetch keeps the previous details, records the error on the
     * connection and retries after {@link #METADATA_RETRY}. Safe on several nodes: each refresh is claimed first.
     */
    public int refreshDueMetadata(int limit) {
        Instant now = now();
        int refreshed = 0;
        for (ConnectionRepository.MetadataRefreshDue due : connections.dueForMetadataRefresh(now, limit)) {
            if (!connections.claimMetadataRefresh(due.environmentId(), due.connectionId(), due.dueAt(), now.plus(METADATA_RETRY))) {
                continue;
            }
            try {
                refreshed += refreshOne(due.environmentId(), due.connectionId(), now) ? 1 : 0;
            } catch (RuntimeException e) {
                LOG.warn("IdP metadata refresh of connection {} failed: {}", due.connectionId(), e.toString());
            }
        }
        return refreshed;
    }

    private boolean refreshOne(String environmentId, String connectionId, Instant now) {
        Optional<Connection> found = connections.findById(environmentId, connectionId);
        Optional<String> url = found.flatMap(Connection::saml).flatMap(SamlSettings::idpMetadataUrl);
        if (url.isEmpty()) {
            connections.scheduleMetadataRefresh(environmentId, connectionId, Optional.empty());
            return false;
        }
        Optional<IdpMetadata> metadata;
        String error = null;
        try {
            metadata = Optional.of(metadataParser.parse(metadataFetcher.fetch(url.get())));
        } catch (IdpMetadataException e) {
            metadata = Optional.empty();
            error = e.getMessage();
        }
        Optional<IdpMetadata> fetched = metadata;
        String failure = error;
        return tx.inTransaction(() -> {
            Connection current = connections.findById(environmentId, connectionId).orElse(null);
            if (current == null || !current.saml().flatMap(SamlSettings::idpMetadataUrl).equals(url)) {
                return false; // deleted, or the URL changed meanwhile (that update scheduled its own refresh)
            }
            SamlSettings s = current.saml().orElseThrow();
            SamlSettings next;
            if (fetched.isPresent()) {
                List<FieldViolation> violations = new ArrayList<>();
                Learnt learnt = learn(fetched.get(), s.ssoRequestBinding(), s.sloRequestBinding(), s.idpCertificates(),
                        current.debugEnabled(), now, violations, "");
                if (violations.isEmpty()) {
                    next = new SamlSettings(s.idpMetadataUrl(), Optional.of(fetched.get().entityId()), learnt.ssoUrl(),
                            learnt.sloUrl(), learnt.certificates(), s.nameIdFormat(), learnt.ssoBinding(), learnt.sloBinding(),
                            s.signingOption(), s.wantRequestSigned() || fetched.get().wantAuthnRequestsSigned(),
                            s.assertionEncrypted(), s.forceAuthn(), s.allowIdpInitiatedLogin(), s.idpSloRequired(),
                            s.allowSha1Signatures(), s.defaultRedirectUri(), s.spEntityId(), Optional.of(now), Optional.empty());
                } else {
                    next = withMetadataError(s, violations.getFirst().description());
                }
            } else {
                next = withMetadataError(s, failure);
            }
            boolean ok = next.metadataError().isEmpty();
            connections.update(current.withSettings(next, now));
            connections.scheduleMetadataRefresh(environmentId, connectionId,
                    Optional.of(now.plus(ok ? metadataRefreshInterval : METADATA_RETRY)));
            if (ok && !sameIdp(s, next)) {
                emit(EventTypes.ORGANIZATION_SSO_UPDATED, current.withSettings(next, now), now);
            }
            return ok;
        });
    }

    private static SamlSettings withMetadataError(SamlSettings s, String error) {
        return new SamlSettings(s.idpMetadataUrl(), s.idpEntityId(), s.idpSsoUrl(), s.idpSloUrl(), s.idpCertificates(),
                s.nameIdFormat(), s.ssoRequestBinding(), s.sloRequestBinding(), s.signingOption(), s.wantRequestSigned(),
                s.assertionEncrypted(), s.forceAuthn(), s.allowIdpInitiatedLogin(), s.idpSloRequired(),
                s.allowSha1Signatures(), s.defaultRedirectUri(), s.spEntityId(), s.metadataRefreshedAt(),
                Optional.of(error.length() > 300 ? error.substring(0, 300) : error));
    }

    private static boolean sameIdp(SamlSettings a, SamlSettings b) {
        return a.idpEntityId().equals(b.idpEntityId()) && a.idpSsoUrl().equals(b.idpSsoUrl())
                && a.idpSloUrl().equals(b.idpSloUrl()) && a.idpCertificates().equals(b.idpCertificates());
    }

    // ------------------------------------------------------------------ helpers

    private void emit(String type, Connection c, Instant now) {
        String data = new Json.ObjectWriter()
                .put("connection_type", c.type().name())
                .put("enabled", c.enabled())
                .put("id", c.id())
                .put("provider", c.provider().name())
                .put("organization_id", c.organizationId())
                .put("status", c.status().name())
                .toString();
        outbox.append(new Event(ids.next(IdPrefix.EVENT), "Connection", c.environmentId(), Optional.of(c.organizationId()),
                now, type, data));
    }

    private SealedValue seal(byte[] plaintext, String purpose) {
        return new SealedValue(Base64.getEncoder().encodeToString(sealer.seal(plaintext, purpose)));
    }

    private byte[] open(SealedValue sealed, String purpose) {
        return sealer.open(Base64.getDecoder().decode(sealed.base64()), purpose);
    }

    private static String clientSecretPurpose(String connectionId) {
        return "oidc-client-secret:" + connectionId;
    }

    private static String spKeyPurpose(String connectionId) {
        return "saml-sp-key:" + connectionId;
    }

    /** Optional text: empty clears; otherwise 1..max characters without control characters (and no spaces when asked). */
    private static Optional<String> text(String field, String value, int max, boolean noWhitespace, List<FieldViolation> violations) {
        String v = value.strip();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        boolean bad = v.length() > max || v.chars().anyMatch(Character::isISOControl)
                || (noWhitespace && v.chars().anyMatch(Character::isWhitespace));
        if (bad) {
            violations.add(new FieldViolation(field, field + " must be 1-" + max + " characters"
                    + (noWhitespace ? " without spaces" : "") + " and no control characters", "string.len"));
            return Optional.empty();
        }
        return Optional.of(v);
    }

    private static void throwIfAny(List<FieldViolation> violations) {
        if (!violations.isEmpty()) {
            throw new DomainException.InvalidArgument(violations.getFirst().description(), violations);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
