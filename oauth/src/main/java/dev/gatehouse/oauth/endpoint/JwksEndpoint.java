package dev.gatehouse.oauth.endpoint;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.wire.WireResponse;
import dev.gatehouse.oauth.key.KeyRing;
import java.util.Map;

/** {@code GET /keys} (and {@code /.well-known/jwks.json}): the environment's published public keys. */
public final class JwksEndpoint {
    private final KeyRing keyRing;

    public JwksEndpoint(KeyRing keyRing) {
        this.keyRing = keyRing;
    }

    public WireResponse handle(Environment environment) {
        String json = keyRing.keys(environment.id()).publicKeys().toString(true);
        return new WireResponse(200, Map.of("cache-control", "public, max-age=300"), "application/json;charset=utf-8", json);
    }
}
