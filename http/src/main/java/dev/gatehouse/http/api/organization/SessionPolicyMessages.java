package dev.gatehouse.http.api.organization;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Int32Value;
import dev.gatehouse.core.sessionpolicy.ApplicationSessionPolicy;
import dev.gatehouse.core.sessionpolicy.OrganizationSessionPolicy;
import dev.gatehouse.core.sessionpolicy.SessionPolicyChange;
import dev.gatehouse.core.sessionpolicy.SessionPolicySource;
import dev.gatehouse.core.sessionpolicy.SessionTimeUnit;
import dev.gatehouse.proto.commons.TimeUnit;
import dev.gatehouse.proto.organizations.ApplicationSessionPolicySettings;
import dev.gatehouse.proto.organizations.OrganizationSessionPolicySettings;
import dev.gatehouse.proto.organizations.SessionPolicyType;
import dev.gatehouse.proto.organizations.UpdateOrganizationSessionPolicyRequest;
import java.util.Optional;

/** Translates session policies between the organization protos and the core's records (docs/DECISIONS.md D-AP6). */
final class SessionPolicyMessages {
    private SessionPolicyMessages() {}

    /** The request as the core's change; unspecified enum values become absent (the core says what is missing). */
    static SessionPolicyChange change(UpdateOrganizationSessionPolicyRequest request) {
        return new SessionPolicyChange(
                switch (request.getPolicySource()) {
                    case APPLICATION -> Optional.of(SessionPolicySource.APPLICATION);
                    case CUSTOM -> Optional.of(SessionPolicySource.CUSTOM);
                    default -> Optional.empty();
                },
                request.hasAbsoluteSessionTimeout() ? Optional.of(request.getAbsoluteSessionTimeout().getValue())
                        : Optional.empty(),
                request.hasAbsoluteSessionTimeoutUnit() ? unit(request.getAbsoluteSessionTimeoutUnit()) : Optional.empty(),
                request.hasIdleSessionTimeoutEnabled() ? Optional.of(request.getIdleSessionTimeoutEnabled().getValue())
                        : Optional.empty(),
                request.hasIdleSessionTimeout() ? Optional.of(request.getIdleSessionTimeout().getValue()) : Optional.empty(),
                request.hasIdleSessionTimeoutUnit() ? unit(request.getIdleSessionTimeoutUnit()) : Optional.empty());
    }

    static OrganizationSessionPolicySettings toProto(OrganizationSessionPolicy policy) {
        var proto = OrganizationSessionPolicySettings.newBuilder()
                .setPolicySource(policy.source() == SessionPolicySource.CUSTOM ? SessionPolicyType.CUSTOM
                        : SessionPolicyType.APPLICATION);
        if (policy.source() == SessionPolicySource.CUSTOM) {
            proto.setIdleSessionTimeoutEnabled(BoolValue.of(policy.idleEnabled()));
        }
        policy.absolute().ifPresent(timeout -> proto.setAbsoluteSessionTimeout(Int32Value.of(timeout.value()))
                .setAbsoluteSessionTimeoutUnit(unit(timeout.unit())));
        policy.idle().ifPresent(timeout -> proto.setIdleSessionTimeout(Int32Value.of(timeout.value()))
                .setIdleSessionTimeoutUnit(unit(timeout.unit())));
        return proto.build();
    }

    /** The environment's values; {@code access_token_expiry} is in seconds. */
    static ApplicationSessionPolicySettings toProto(ApplicationSessionPolicy policy) {
        return ApplicationSessionPolicySettings.newBuilder()
                .setAbsoluteSessionTimeout(policy.absolute().value())
                .setAbsoluteSessionTimeoutUnit(unit(policy.absolute().unit()))
                .setIdleSessionTimeoutEnabled(policy.idleEnabled())
                .setIdleSessionTimeout(policy.idle().value())
                .setIdleSessionTimeoutUnit(unit(policy.idle().unit()))
                .setAccessTokenExpiry((int) Math.min(Integer.MAX_VALUE, policy.accessTokenLifetime().toSeconds()))
                .build();
    }

    private static Optional<SessionTimeUnit> unit(TimeUnit unit) {
        return switch (unit) {
            case MINUTES -> Optional.of(SessionTimeUnit.MINUTES);
            case HOURS -> Optional.of(SessionTimeUnit.HOURS);
            case DAYS -> Optional.of(SessionTimeUnit.DAYS);
            default -> Optional.empty();
        };
    }

    private static TimeUnit unit(SessionTimeUnit unit) {
        return switch (unit) {
            case MINUTES -> TimeUnit.MINUTES;
            case HOURS -> TimeUnit.HOURS;
            case DAYS -> TimeUnit.DAYS;
        };
    }
}
