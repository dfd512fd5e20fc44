package dev.gatehouse.core.client;

import java.util.List;
import java.util.Optional;

/**
 * An UpdateClient request: present fields change, absent ones stay (D-C4). An empty
 * {@code defaultRedirectUri} or {@code initiateLoginUri} clears it; a present empty list clears a list.
 */
public record AppClientPatch(Optional<String> name, Optional<List<String>> redirectUris,
                             Optional<String> defaultRedirectUri, Optional<List<String>> postLogoutRedirectUris,
                             Optional<List<String>> backChannelLogoutUris, Optional<String> initiateLoginUri,
                             Optional<Boolean> enforcePkce, Optional<Long> accessTokenExpirySeconds) {

    AppClientSettings applyTo(AppClientSettings current) {
        return new AppClientSettings(
                redirectUris.orElse(current.redirectUris()),
                defaultRedirectUri.isPresent() ? defaultRedirectUri.filter(v -> !v.isEmpty()) : current.defaultRedirectUri(),
                postLogoutRedirectUris.orElse(current.postLogoutRedirectUris()),
                backChannelLogoutUris.orElse(current.backChannelLogoutUris()),
                initiateLoginUri.isPresent() ? initiateLoginUri.filter(v -> !v.isEmpty()) : current.initiateLoginUri(),
                enforcePkce.orElse(current.enforcePkce()),
                accessTokenExpirySeconds.isPresent() ? accessTokenExpirySeconds : current.accessTokenExpirySeconds());
    }
}
