package dev.gatehouse.core.organization;

import dev.gatehouse.core.event.Event;
import dev.gatehouse.core.event.EventTypes;
import dev.gatehouse.core.event.Json;
import dev.gatehouse.core.event.Outbox;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The use cases of the Organizations API. Validates, then delegates to the repository; every change
 * appends its {@code organization.*} event to the outbox in the same transaction.
 */
public final class OrganizationService {
    public static final int SEARCH_QUERY_MIN = 3;
    public static final int SEARCH_QUERY_MAX = 100;

    private final OrganizationRepository organizations;
    private final IdGenerator ids;
    private final Clock clock;
    private final Transactions tx;
    private final Outbox outbox;

    public OrganizationService(OrganizationRepository organizations, IdGenerator ids, Clock clock,
                               Transactions tx, Outbox outbox) {
        this.organizations = organizations;
        this.ids = ids;
        this.clock = clock;
        this.tx = tx;
        this.outbox = outbox;
    }

    public Organization create(String environmentId, NewOrganization request) {
        List<FieldViolation> violations = new ArrayList<>();
        OrganizationRules.checkDisplayName("organization.display_name", request.displayName(), violations);
        OrganizationRules.checkExternalId("organization.external_id", request.externalId(), false, violations);
        OrganizationRules.checkMetadata("organization.metadata", request.metadata(), violations);
        OrganizationRules.checkSlug("organization.slug", request.slug(), false, violations);
        OrganizationRules.checkLogoUrl("organization.logo_url", request.logoUrl(), violations);
        throwIfAny(violations);

        Instant now = now();
        Map<OrganizationFeature, Boolean> features = new EnumMap<>(OrganizationFeature.class);
        for (OrganizationFeature feature : OrganizationFeature.values()) {
            features.put(feature, false);
        }
        Organization organization = new Organization(
                ids.next(IdPrefix.ORGANIZATION),
                environmentId,
                request.displayName().strip(),
                request.regionCode(),
                request.externalId(),
                request.metadata(),
                features,
                request.slug(),
                request.logoUrl().filter(url -> !url.isEmpty()),
                Optional.empty(),
                now,
                now);
        return tx.inTransaction(() -> {
            organizations.insert(organization);
            emit(EventTypes.ORGANIZATION_CREATED, organization, eventData(organization));
            return organization;
        });
    }

    public Organization get(String environmentId, OrganizationRef ref) {
        return find(environmentId, ref).orElseThrow(() -> notFound(ref));
    }

    public Page<Organization> list(String environmentId, PageRequest page, Optional<String> externalId) {
        return organizations.list(environmentId, page, externalId.filter(id -> !id.isEmpty()));
    }

    public Page<Organization> search(String environmentId, String query, PageRequest page) {
        String trimmed = query == null ? "" : query.strip();
        if (trimmed.length() < SEARCH_QUERY_MIN || trimmed.length() > SEARCH_QUERY_MAX) {
            throw DomainException.InvalidArgument.of("query",
                    "query must be between 3 and 100 characters", "string.len");
        }
        return organizations.search(environmentId, trimmed, page);
    }

    public Organization update(String environmentId, OrganizationRef ref, OrganizationPatch patch) {
        List<FieldViolation> violations = new ArrayList<>();
        patch.displayName().ifPresent(name ->
                OrganizationRules.checkDisplayName("organization.display_name", name, violations));
        OrganizationRules.checkExternalId("organization.external_id", patch.externalId(), true, violations);
        patch.metadata().ifPresent(metadata ->
                OrganizationRules.checkMetadata("organization.metadata", metadata, violations));
        OrganizationRules.checkSlug("organization.slug", patch.slug(), true, violations);
        OrganizationRules.checkLogoUrl("organization.logo_url", patch.logoUrl(), violations);
        throwIfAny(violations);

        return tx.inTransaction(() -> {
        Organization current = get(environmentId, ref);
        Organization updated = new Organization(
                current.id(),
                current.environmentId(),
                patch.displayName().map(String::strip).orElse(current.displayName()),
                current.regionCode(),
                patch.externalId().isPresent() ? patch.externalId().filter(v -> !v.isEmpty()) : current.externalId(),
                patch.metadata().orElse(current.metadata()),
                current.features(),
                patch.slug().isPresent() ? patch.slug().filter(v -> !v.isEmpty()) : current.slug(),
                patch.logoUrl().isPresent() ? patch.logoUrl().filter(v -> !v.isEmpty()) : current.logoUrl(),
                current.maxAllowedUsers(),
                current.createTime(),
                now());
        return save(updated, ref);
        });
    }

    public void delete(String environmentId, OrganizationRef ref) {
        tx.inTransaction(() -> {
            Organization current = get(environmentId, ref);
            if (!organizations.delete(environmentId, current.id())) {
                throw notFound(ref);
            }
            emit(EventTypes.ORGANIZATION_DELETED, current, new Json.ObjectWriter()
                    .put("id", current.id())
                    .put("external_id", current.externalId().orElse(null))
                    .toString());
            return null;
        });
    }

    /** Sets the named feature toggles; features not named keep their value. */
    public Organization updateFeatures(String environmentId, String organizationId, Map<String, Boolean> toggles) {
        List<FieldViolation> violations = new ArrayList<>();
        Map<OrganizationFeature, Boolean> parsed = new EnumMap<>(OrganizationFeature.class);
        toggles.forEach((name, enabled) -> OrganizationFeature.fromWire(name).ifPresentOrElse(
                feature -> parsed.put(feature, enabled),
                () -> violations.add(new FieldViolation("settings.features.name",
                        "unknown feature '" + name + "'; supported: sso, dir_sync", "enum.defined_only"))));
        throwIfAny(violations);

        OrganizationRef ref = new OrganizationRef.ById(organizationId);
        return tx.inTransaction(() -> {
            Organization current = get(environmentId, ref);
            Map<OrganizationFeature, Boolean> features = new EnumMap<>(OrganizationFeature.class);
            features.putAll(current.features());
            features.putAll(parsed);
            return save(withSettings(current, features, current.maxAllowedUsers()), ref);
        });
    }

    /** Sets (or clears, when empty) the cap on users in the organization. */
    public Organization updateMaxAllowedUsers(String environmentId, String organizationId, Optional<Integer> maxAllowedUsers) {
        if (maxAllowedUsers.isPresent() && maxAllowedUsers.get() < 0) {
            throw DomainException.InvalidArgument.of("settings.max_allowed_users",
                    "max_allowed_users must not be negative", "int32.gte");
        }
        OrganizationRef ref = new OrganizationRef.ById(organizationId);
        return tx.inTransaction(() -> {
            Organization current = get(environmentId, ref);
            return save(withSettings(current, current.features(), maxAllowedUsers), ref);
        });
    }

    private Organization withSettings(Organization current, Map<OrganizationFeature, Boolean> features,
                                      Optional<Integer> maxAllowedUsers) {
        return new Organization(current.id(), current.environmentId(), current.displayName(), current.regionCode(),
                current.externalId(), current.metadata(), features, current.slug(), current.logoUrl(),
                maxAllowedUsers, current.createTime(), now());
    }

    private Organization save(Organization updated, OrganizationRef ref) {
        if (!organizations.update(updated)) {
            throw notFound(ref);
        }
        emit(EventTypes.ORGANIZATION_UPDATED, updated, eventData(updated));
        return updated;
    }

    private void emit(String type, Organization organization, String data) {
        outbox.append(new Event(ids.next(IdPrefix.EVENT), "Organization", organization.environmentId(),
                Optional.of(organization.id()), now(), type, data));
    }

    /** The {@code data} of organization.created and organization.updated (docs/EVENTS.md). */
    static String eventData(Organization o) {
        Json.ObjectWriter features = new Json.ObjectWriter();
        o.features().forEach((feature, enabled) -> features.put(feature.wireName(), enabled));
        Json.ObjectWriter data = new Json.ObjectWriter()
                .put("id", o.id())
                .put("display_name", o.displayName())
                .put("external_id", o.externalId().orElse(null))
                .put("region_code", o.regionCode().name())
                .put("metadata", o.metadata())
                .putRaw("features", features.toString())
                .put("slug", o.slug().orElse(null))
                .put("logo_url", o.logoUrl().orElse(null));
        if (o.maxAllowedUsers().isPresent()) {
            data.put("max_allowed_users", o.maxAllowedUsers().get());
        } else {
            data.putRaw("max_allowed_users", "null");
        }
        return data.put("create_time", o.createTime().toString())
                .put("update_time", o.updateTime().toString())
                .toString();
    }

    private Optional<Organization> find(String environmentId, OrganizationRef ref) {
        return switch (ref) {
            case OrganizationRef.ById byId -> organizations.findById(environmentId, byId.id());
            case OrganizationRef.ByExternalId byExternal -> organizations.findByExternalId(environmentId, byExternal.externalId());
        };
    }

    private Instant now() {
        // Microseconds: what both H2 and PostgreSQL timestamps keep, so a read returns what was written.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static DomainException.NotFound notFound(OrganizationRef ref) {
        return new DomainException.NotFound(switch (ref) {
            case OrganizationRef.ById byId -> "organization " + byId.id() + " not found";
            case OrganizationRef.ByExternalId byExternal -> "organization with external_id " + byExternal.externalId() + " not found";
        });
    }

    private static void throwIfAny(List<FieldViolation> violations) {
        if (!violations.isEmpty()) {
            throw new DomainException.InvalidArgument(violations.getFirst().description(), violations);
        }
    }
}
