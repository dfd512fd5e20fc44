package dev.gatehouse.core.client;

import java.util.List;
import java.util.Optional;

/**
 * The sign-in settings of an environment client: the redirect URIs of spec-sso §8.1 and their kin.
 *
 * @param accessTokenExpirySeconds lifetime of the access tokens the client's sign-ins get, when set
 */
public record AppClientSettings(List<String> redirectUris, Optional<String> defaultRedirectUri,
                                List<String> postLogoutRedirectUris, List<String> backChannelLogoutUris,
                                Optional<String> initiateLoginUri, boolean enforcePkce,
                                Optional<Long> accessTokenExpirySeconds) {
    /** What a client created without settings has: nothing registered. */
    public static final AppClientSettings NONE = new AppClientSettings(List.of(), Optional.empty(), List.of(), List.of(),
            Optional.empty(), false, Optional.empty());

    public AppClientSettings {
        redirectUris = List.copyOf(redirectUris);
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
        backChannelLogoutUris = List.copyOf(backChannelLogoutUris);
    }
}
