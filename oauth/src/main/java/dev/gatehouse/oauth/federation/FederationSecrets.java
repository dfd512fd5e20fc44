package dev.gatehouse.oauth.federation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-login secrets of an outgoing OIDC/OAuth request, derived (HMAC-SHA256 under a key derived from the master
 * key) from the login transaction instead of stored (D-SO2): the {@code nonce} and the PKCE {@code code_verifier}.
 * The login ID is 256 random bits and used once, so the derived values are unguessable and unique; every node
 * derives the same values, so the callback may land on any node.
 */
public final class FederationSecrets {
    private final byte[] key;

    private FederationSecrets(byte[] key) {
        this.key = key.clone();
    }

    public static FederationSecrets fromMasterKey(byte[] masterKey) {
        return new FederationSecrets(hmac(masterKey, "gatehouse/federation/v1"));
    }

    public String nonce(String environmentId, String connectionId, String loginId) {
        return derive("nonce", environmentId, connectionId, loginId);
    }

    /** 43 base64url characters (RFC 7636 §4.1). */
    public String codeVerifier(String environmentId, String connectionId, String loginId) {
        return derive("pkce", environmentId, connectionId, loginId);
    }

    private String derive(String purpose, String environmentId, String connectionId, String loginId) {
        String input = purpose + '\n' + environmentId + '\n' + connectionId + '\n' + loginId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, input));
    }

    private static byte[] hmac(byte[] key, String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
