package dev.gatehouse.saml.sso;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ID of the AuthnRequest a login sends, derived from the login: {@code id-} + the first 40 hex digits of
 * HMAC-SHA256(key, environment | connection | login ID), the key itself derived from the master key. The ACS
 * recomputes it from the RelayState's login ID to check InResponseTo, so nothing about the request is stored, and
 * nobody without the master key can predict the ID of another login's request (D-SS2).
 */
public final class AuthnRequestIds {
    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;

    private AuthnRequestIds(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /** IDs keyed by HMAC-SHA256(master key, "gatehouse saml authn request id v1"). */
    public static AuthnRequestIds fromMasterKey(byte[] masterKey) {
        return new AuthnRequestIds(hmac(new SecretKeySpec(masterKey, ALGORITHM), "gatehouse saml authn request id v1"));
    }

    /** The AuthnRequest ID of this login at this connection. */
    public String idFor(String environmentId, String connectionId, String loginId) {
        byte[] mac = hmac(key, environmentId + "|" + connectionId + "|" + loginId);
        return "id-" + HexFormat.of().formatHex(mac, 0, 20);
    }

    private static byte[] hmac(SecretKeySpec key, String message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
