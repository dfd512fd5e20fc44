package dev.gatehouse.http.api.organization;

import com.google.protobuf.Int32Value;
import com.google.protobuf.Timestamp;
import dev.gatehouse.core.organization.NewOrganization;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationFeature;
import dev.gatehouse.core.organization.OrganizationPatch;
import dev.gatehouse.core.organization.OrganizationRef;
import dev.gatehouse.core.organization.RegionCode;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.proto.organizations.CreateOrganization;
import dev.gatehouse.proto.organizations.OrganizationSettings;
import dev.gatehouse.proto.organizations.OrganizationSettingsFeature;
import dev.gatehouse.proto.organizations.OrganizationUserManagementSettings;
import dev.gatehouse.proto.organizations.UpdateOrganization;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Translates between the organization protos of the wire and the core's records. */
final class OrganizationMessages {
    static final int MAX_ID_LENGTH = 32;

    private OrganizationMessages() {}

    static NewOrganization toNew(CreateOrganization proto) {
        return new NewOrganization(
                proto.getDisplayName(),
                region(proto.getRegionCode()),
                proto.hasExternalId() ? Optional.of(proto.getExternalId()) : Optional.empty(),
                proto.getMetadataMap(),
                proto.hasSlug() ? Optional.of(proto.getSlug()) : Optional.empty(),
                proto.hasLogoUrl() ? Optional.of(proto.getLogoUrl()) : Optional.empty());
    }

    /**
     * Fields present in the request are changed. Without an update_mask, an empty metadata map
     * means "unchanged" (proto3 cannot tell it from absent); with a mask naming metadata it clears.
     */
    static OrganizationPatch toPatch(UpdateOrganization proto, Optional<java.util.List<String>> mask) {
        boolean metadataMasked = mask.map(paths -> paths.contains("metadata")).orElse(false);
        Optional<Map<String, String>> metadata = proto.getMetadataCount() > 0 || metadataMasked
                ? Optional.of(proto.getMetadataMap()) : Optional.empty();
        return new OrganizationPatch(
                proto.hasDisplayName() ? Optional.of(proto.getDisplayName()) : Optional.empty(),
                proto.hasExternalId() ? Optional.of(proto.getExternalId()) : Optional.empty(),
                metadata,
                proto.hasSlug() ? Optional.of(proto.getSlug()) : Optional.empty(),
                proto.hasLogoUrl() ? Optional.of(proto.getLogoUrl()) : Optional.empty());
    }

    /** The organization named by the request's {@code identities} oneof. */
    static OrganizationRef ref(String id, String externalId, boolean byExternalId) {
        if (byExternalId) {
            if (externalId.isEmpty()) {
                throw RpcErrors.invalidArgument("external_id", "external_id must not be empty", "string.min_len");
            }
            return new OrganizationRef.ByExternalId(externalId);
        }
        return new OrganizationRef.ById(checkedId("id", id));
    }

    static String checkedId(String field, String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw RpcErrors.invalidArgument(field, field + " must be between 1 and 32 characters", "string.len");
        }
        return id;
    }

    static dev.gatehouse.proto.organizations.Organization toProto(Organization o) {
        var builder = dev.gatehouse.proto.organizations.Organization.newBuilder()
                .setId(o.id())
                .setCreateTime(timestamp(o.createTime()))
                .setUpdateTime(timestamp(o.updateTime()))
                .setDisplayName(o.displayName())
                .setRegionCode(region(o.regionCode()))
                .putAllMetadata(o.metadata())
                .setSettings(settings(o));
        o.externalId().ifPresent(builder::setExternalId);
        o.slug().ifPresent(builder::setSlug);
        o.logoUrl().ifPresent(builder::setLogoUrl);
        return builder.build();
    }

    static OrganizationUserManagementSettings userManagement(Organization o) {
        var builder = OrganizationUserManagementSettings.newBuilder();
        o.maxAllowedUsers().ifPresent(max -> builder.setMaxAllowedUsers(Int32Value.of(max)));
        return builder.build();
    }

    private static OrganizationSettings settings(Organization o) {
        var builder = OrganizationSettings.newBuilder();
        for (OrganizationFeature feature : OrganizationFeature.values()) {
            builder.addFeatures(OrganizationSettingsFeature.newBuilder()
                    .setName(feature.wireName()).setEnabled(o.isFeatureEnabled(feature)));
        }
        return builder.build();
    }

    private static RegionCode region(dev.gatehouse.proto.commons.RegionCode proto) {
        return switch (proto) {
            case US -> RegionCode.US;
            case EU -> RegionCode.EU;
            case REGION_CODE_UNSPECIFIED -> RegionCode.UNSPECIFIED;
            case UNRECOGNIZED -> throw RpcErrors.invalidArgument("organization.region_code",
                    "region_code must be US or EU", "enum.defined_only");
        };
    }

    private static dev.gatehouse.proto.commons.RegionCode region(RegionCode code) {
        return switch (code) {
            case US -> dev.gatehouse.proto.commons.RegionCode.US;
            case EU -> dev.gatehouse.proto.commons.RegionCode.EU;
            case UNSPECIFIED -> dev.gatehouse.proto.commons.RegionCode.REGION_CODE_UNSPECIFIED;
        };
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
