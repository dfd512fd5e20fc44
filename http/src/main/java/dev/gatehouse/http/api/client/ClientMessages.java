package dev.gatehouse.http.api.client;

import com.google.protobuf.Timestamp;
import dev.gatehouse.core.client.AppClientPatch;
import dev.gatehouse.core.client.AppClientSettings;
import dev.gatehouse.core.client.CustomClaim;
import dev.gatehouse.core.client.EnvironmentAppClient;
import dev.gatehouse.core.client.NewAppClient;
import dev.gatehouse.core.client.NewOrganizationClient;
import dev.gatehouse.core.client.OrganizationClient;
import dev.gatehouse.core.client.OrganizationClientPatch;
import dev.gatehouse.core.credential.SecretStatus;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.proto.clients.Client;
import dev.gatehouse.proto.clients.ClientSecret;
import dev.gatehouse.proto.clients.ClientSecretStatus;
import dev.gatehouse.proto.clients.CreateClient;
import dev.gatehouse.proto.clients.M2MClient;
import dev.gatehouse.proto.clients.UpdateClient;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Translates between the clients protos of the wire and the core's records. */
final class ClientMessages {
    static final int MAX_ID_LENGTH = 32;
    /** Environment client IDs may be operator-chosen (GATEHOUSE_BOOTSTRAP_CLIENT_ID): the column's width. */
    static final int MAX_ENVIRONMENT_CLIENT_ID_LENGTH = 64;

    private ClientMessages() {}

    // ------------------------------------------------------------------ IDs

    static String environmentClientId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ENVIRONMENT_CLIENT_ID_LENGTH) {
            throw RpcErrors.invalidArgument("client_id", "client_id must be between 1 and 64 characters", "string.len");
        }
        return id;
    }

    static String secretId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw RpcErrors.invalidArgument("secret_id", "secret_id must be between 1 and 32 characters", "string.len");
        }
        return id;
    }

    static String organizationId(String id) {
        return prefixed("organization_id", id, IdPrefix.ORGANIZATION);
    }

    static String organizationClientId(String id) {
        return prefixed("client_id", id, IdPrefix.ORGANIZATION_CLIENT);
    }

    private static String prefixed(String field, String id, IdPrefix prefix) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH || !id.startsWith(prefix.wire())) {
            throw RpcErrors.invalidArgument(field,
                    field + " must start with '" + prefix.wire() + "' and be at most 32 characters", "string.prefix");
        }
        return id;
    }

    // ------------------------------------------------------------------ environment clients

    static NewAppClient toNew(CreateClient proto) {
        unsupported("client.post_login_uris", proto.getPostLoginUrisCount() > 0);
        unsupported("client.scopes", proto.getScopesCount() > 0);
        unsupported("client.custom_claims", proto.getCustomClaimsCount() > 0);
        unsupported("client.grant_types", proto.getGrantTypesCount() > 0);
        unsupported("client.disallow_scalekit_api_access", proto.hasDisallowScalekitApiAccess()
                && proto.getDisallowScalekitApiAccess().getValue());
        return new NewAppClient(proto.getName(), proto.getClientType(), new AppClientSettings(
                List.of(), Optional.empty(),
                proto.getPostLogoutRedirectUrisList(), proto.getBackChannelLogoutUrisList(),
                proto.hasInitiateLoginUri() && !proto.getInitiateLoginUri().isEmpty()
                        ? Optional.of(proto.getInitiateLoginUri()) : Optional.empty(),
                proto.hasEnforcePkce() && proto.getEnforcePkce().getValue(),
                proto.getAccessTokenExpiry() == 0 ? Optional.empty() : Optional.of(proto.getAccessTokenExpiry())));
    }

    /**
     * Present fields change (D-C4): a non-empty list replaces, an empty one is "unchanged" unless the
     * request's {@code mask} names it; {@code default_redirect_uri} and {@code initiate_login_uri} are
     * optional strings, so an empty one clears.
     */
    static AppClientPatch toPatch(UpdateClient proto, Set<String> mask) {
        unsupported("client.post_login_uris", proto.getPostLoginUrisCount() > 0);
        unsupported("client.scopes", proto.getScopesCount() > 0);
        unsupported("client.custom_claims", proto.getCustomClaimsCount() > 0);
        unsupported("client.grant_types", proto.getGrantTypesCount() > 0);
        unsupported("client.disallow_scalekit_api_access", proto.hasDisallowScalekitApiAccess()
                && proto.getDisallowScalekitApiAccess().getValue());
        return new AppClientPatch(
                proto.getName().isEmpty() ? Optional.empty() : Optional.of(proto.getName()),
                list(proto.getRedirectUrisList(), mask.contains("redirect_uris")),
                proto.hasDefaultRedirectUri() ? Optional.of(proto.getDefaultRedirectUri()) : Optional.empty(),
                list(proto.getPostLogoutRedirectUrisList(), mask.contains("post_logout_redirect_uris")),
                list(proto.getBackChannelLogoutUrisList(), mask.contains("back_channel_logout_uris")),
                proto.hasInitiateLoginUri() ? Optional.of(proto.getInitiateLoginUri()) : Optional.empty(),
                proto.hasEnforcePkce() ? Optional.of(proto.getEnforcePkce().getValue()) : Optional.empty(),
                proto.getAccessTokenExpiry() == 0 ? Optional.empty() : Optional.of(proto.getAccessTokenExpiry()));
    }

    private static Optional<List<String>> list(List<String> values, boolean masked) {
        return values.isEmpty() && !masked ? Optional.empty() : Optional.of(List.copyOf(values));
    }

    private static void unsupported(String field, boolean present) {
        if (present) {
            throw RpcErrors.invalidArgument(field, field + " is not supported by Gatehouse", "unsupported");
        }
    }

    static Client toProto(EnvironmentAppClient c) {
        AppClientSettings s = c.settings();
        Client.Builder builder = Client.newBuilder()
                .setId(c.id())
                .setCreateTime(timestamp(c.client().createTime()))
                .setUpdateTime(timestamp(c.updateTime()))
                .addAllRedirectUris(s.redirectUris())
                .setDefaultRedirectUri(s.defaultRedirectUri().orElse(""))
                .addAllPostLogoutRedirectUris(s.postLogoutRedirectUris())
                .addAllBackChannelLogoutUris(s.backChannelLogoutUris())
                .setInitiateLoginUri(s.initiateLoginUri().orElse(""))
                .setName(c.client().name())
                .setClientType(c.clientType())
                .setEnforcePkce(s.enforcePkce());
        s.accessTokenExpirySeconds().ifPresent(builder::setAccessTokenExpiry);
        c.secrets().forEach(secret -> builder.addSecrets(secret(secret)));
        return builder.build();
    }

    static ClientSecret secret(dev.gatehouse.core.credential.ClientSecret secret) {
        return ClientSecret.newBuilder()
                .setId(secret.id())
                .setCreateTime(timestamp(secret.createTime()))
                .setUpdateTime(timestamp(secret.updateTime()))
                .setSecretSuffix(secret.suffix())
                .setStatus(secret.active() ? ClientSecretStatus.ACTIVE : ClientSecretStatus.INACTIVE)
                .build();
    }

    static SecretStatus status(ClientSecretStatus status) {
        return switch (status) {
            case ACTIVE -> SecretStatus.ACTIVE;
            case INACTIVE -> SecretStatus.INACTIVE;
            case UNRECOGNIZED -> throw RpcErrors.invalidArgument("secret.status", "status must be ACTIVE or INACTIVE",
                    "enum.defined_only");
        };
    }

    // ------------------------------------------------------------------ organization clients

    static NewOrganizationClient toNew(dev.gatehouse.proto.clients.OrganizationClient proto) {
        return new NewOrganizationClient(proto.getName(), proto.getDescription(), proto.getScopesList(),
                proto.getAudienceList(), claims(proto.getCustomClaimsList()),
                proto.getExpiry() == 0 ? Optional.empty() : Optional.of(proto.getExpiry()));
    }

    /** Empty strings, empty lists and a zero expiry mean "unchanged" (the SDK sends only what it was given). */
    static OrganizationClientPatch toPatch(dev.gatehouse.proto.clients.OrganizationClient proto) {
        return new OrganizationClientPatch(
                proto.getName().isEmpty() ? Optional.empty() : Optional.of(proto.getName()),
                proto.getDescription().isEmpty() ? Optional.empty() : Optional.of(proto.getDescription()),
                proto.getScopesCount() == 0 ? Optional.empty() : Optional.of(List.copyOf(proto.getScopesList())),
                proto.getAudienceCount() == 0 ? Optional.empty() : Optional.of(List.copyOf(proto.getAudienceList())),
                proto.getCustomClaimsCount() == 0 ? Optional.empty() : Optional.of(claims(proto.getCustomClaimsList())),
                proto.getExpiry() == 0 ? Optional.empty() : Optional.of(proto.getExpiry()));
    }

    private static List<CustomClaim> claims(List<dev.gatehouse.proto.clients.CustomClaim> claims) {
        return claims.stream().map(c -> new CustomClaim(c.getKey(), c.getValue())).toList();
    }

    static M2MClient toProto(OrganizationClient c) {
        M2MClient.Builder builder = M2MClient.newBuilder()
                .setClientId(c.id())
                .setName(c.name())
                .setDescription(c.description())
                .setOrganizationId(c.organizationId())
                .setCreateTime(timestamp(c.createTime()))
                .setUpdateTime(timestamp(c.updateTime()))
                .addAllScopes(c.scopes())
                .addAllAudience(c.audience())
                .setExpiry(c.expirySeconds());
        c.customClaims().forEach(claim -> builder.addCustomClaims(
                dev.gatehouse.proto.clients.CustomClaim.newBuilder().setKey(claim.key()).setValue(claim.value())));
        c.secrets().forEach(secret -> builder.addSecrets(secret(secret)));
        return builder.build();
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
