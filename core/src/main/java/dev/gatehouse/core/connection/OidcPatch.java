package dev.gatehouse.core.connection;

import java.util.List;
import java.util.Optional;

/**
 * A change to an OIDC connection's settings: an absent part keeps its value, an empty string clears an optional
 * text. {@code clientSecret} is sealed before it is stored. Build one with {@link #builder()}.
 */
public record OidcPatch(
        Optional<String> issuer,
        Optional<String> discoveryEndpoint,
        Optional<String> authorizeUri,
        Optional<String> tokenUri,
        Optional<String> userInfoUri,
        Optional<String> jwksUri,
        Optional<String> clientId,
        Optional<String> clientSecret,
        Optional<List<String>> scopes,
        Optional<TokenAuthMethod> tokenAuthMethod,
        Optional<Boolean> pkceEnabled,
        Optional<Boolean> idpLogoutRequired) {

    @Override
    public String toString() {
        return "OidcPatch[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret="
                + (clientSecret.isPresent() ? "redacted" : "absent") + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts that are present. */
    public static final class Builder {
        private Optional<String> issuer = Optional.empty();
        private Optional<String> discoveryEndpoint = Optional.empty();
        private Optional<String> authorizeUri = Optional.empty();
        private Optional<String> tokenUri = Optional.empty();
        private Optional<String> userInfoUri = Optional.empty();
        private Optional<String> jwksUri = Optional.empty();
        private Optional<String> clientId = Optional.empty();
        private Optional<String> clientSecret = Optional.empty();
        private Optional<List<String>> scopes = Optional.empty();
        private Optional<TokenAuthMethod> tokenAuthMethod = Optional.empty();
        private Optional<Boolean> pkceEnabled = Optional.empty();
        private Optional<Boolean> idpLogoutRequired = Optional.empty();

        public Builder issuer(String v) { issuer = Optional.of(v); return this; }
        public Builder discoveryEndpoint(String v) { discoveryEndpoint = Optional.of(v); return this; }
        public Builder authorizeUri(String v) { authorizeUri = Optional.of(v); return this; }
        public Builder tokenUri(String v) { tokenUri = Optional.of(v); return this; }
        public Builder userInfoUri(String v) { userInfoUri = Optional.of(v); return this; }
        public Builder jwksUri(String v) { jwksUri = Optional.of(v); return this; }
        public Builder clientId(String v) { clientId = Optional.of(v); return this; }
        public Builder clientSecret(String v) { clientSecret = Optional.of(v); return this; }
        public Builder scopes(List<String> v) { scopes = Optional.of(List.copyOf(v)); return this; }
        public Builder tokenAuthMethod(TokenAuthMethod v) { tokenAuthMethod = Optional.of(v); return this; }
        public Builder pkceEnabled(boolean v) { pkceEnabled = Optional.of(v); return this; }
        public Builder idpLogoutRequired(boolean v) { idpLogoutRequired = Optional.of(v); return this; }

        public OidcPatch build() {
            return new OidcPatch(issuer, discoveryEndpoint, authorizeUri, tokenUri, userInfoUri, jwksUri, clientId,
                    clientSecret, scopes, tokenAuthMethod, pkceEnabled, idpLogoutRequired);
        }
    }
}
