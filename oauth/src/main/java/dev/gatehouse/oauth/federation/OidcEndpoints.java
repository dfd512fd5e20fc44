package dev.gatehouse.oauth.federation;

import java.util.Optional;

/** Where an OpenID provider (or a social provider's OAuth 2.0 server) serves each step of the code flow. */
public record OidcEndpoints(
        Optional<String> issuer,
        String authorizationEndpoint,
        String tokenEndpoint,
        Optional<String> userInfoEndpoint,
        Optional<String> jwksUri) {}
