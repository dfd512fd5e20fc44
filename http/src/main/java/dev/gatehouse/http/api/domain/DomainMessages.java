package dev.gatehouse.http.api.domain;

import com.google.protobuf.Timestamp;
import dev.gatehouse.core.connection.Domain;
import dev.gatehouse.core.connection.DomainType;
import dev.gatehouse.core.connection.VerificationStatus;
import dev.gatehouse.core.organization.OrganizationRef;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.proto.domains.VerificationMethod;
import java.time.Instant;
import java.util.Optional;

/** Between {@code scalekit.v1.domains} messages and the core's domains. */
public final class DomainMessages {
    private DomainMessages() {}

    public static dev.gatehouse.proto.domains.Domain toProto(Domain d) {
        return dev.gatehouse.proto.domains.Domain.newBuilder()
                .setId(d.id())
                .setDomain(d.name())
                .setEnvironmentId(d.environmentId())
                .setOrganizationId(d.organizationId())
                .setConnectionId(d.connectionId().orElse(""))
                .setVerificationStatus(switch (d.verificationStatus()) {
                    case PENDING -> dev.gatehouse.proto.domains.VerificationStatus.PENDING;
                    case VERIFIED -> dev.gatehouse.proto.domains.VerificationStatus.VERIFIED;
                    case FAILED -> dev.gatehouse.proto.domains.VerificationStatus.FAILED;
                })
                .setVerificationMethod(d.verificationStatus() == VerificationStatus.VERIFIED
                        ? VerificationMethod.ADMIN : VerificationMethod.VERIFICATION_METHOD_UNSPECIFIED)
                .setDomainType(d.type() == DomainType.ORGANIZATION_DOMAIN
                        ? dev.gatehouse.proto.domains.DomainType.ORGANIZATION_DOMAIN
                        : dev.gatehouse.proto.domains.DomainType.ALLOWED_EMAIL_DOMAIN)
                .setCreateTime(timestamp(d.createTime()))
                .setUpdateTime(timestamp(d.updateTime()))
                .build();
    }

    /** The type asked for; UNSPECIFIED is none (the default, ORGANIZATION_DOMAIN, applies). */
    static Optional<DomainType> type(dev.gatehouse.proto.domains.DomainType type, String field) {
        return switch (type) {
            case DOMAIN_TYPE_UNSPECIFIED -> Optional.empty();
            case ORGANIZATION_DOMAIN -> Optional.of(DomainType.ORGANIZATION_DOMAIN); // also HOME_REALM_DISCOVERY
            case ALLOWED_EMAIL_DOMAIN -> Optional.of(DomainType.ALLOWED_EMAIL_DOMAIN); // also JIT_PROVISIONING_DOMAIN
            case UNRECOGNIZED -> throw RpcErrors.invalidArgument(field, "unknown domain_type", "enum.defined_only");
        };
    }

    /** The organization of a request's {@code identities} oneof. */
    static OrganizationRef organization(boolean byExternalId, String organizationId, String externalId) {
        if (byExternalId) {
            return new OrganizationRef.ByExternalId(required("external_id", externalId, 255));
        }
        return new OrganizationRef.ById(required("organization_id", organizationId, 32));
    }

    static String required(String field, String value, int max) {
        return RpcErrors.requiredText(field, value, max);
    }

    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
