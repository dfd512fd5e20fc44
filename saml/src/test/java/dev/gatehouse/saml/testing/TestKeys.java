package dev.gatehouse.saml.testing;

import dev.gatehouse.saml.sp.SpCredential;
import dev.gatehouse.saml.sp.SpKeyGenerator;
import java.time.Instant;

/** RSA-2048 key pairs with certificates, generated once per test JVM (key generation is slow). */
public final class TestKeys {
    private static final Instant ISSUED = Instant.parse("2024-01-01T00:00:00Z");
    private static final SpKeyGenerator GENERATOR = new SpKeyGenerator();

    /** The test IdP's signing key. */
    public static final SpCredential IDP = GENERATOR.generate("Test IdP", ISSUED, SpKeyGenerator.DEFAULT_VALIDITY);
    /** The test IdP's next signing key (certificate rollover). */
    public static final SpCredential IDP_NEXT = GENERATOR.generate("Test IdP next", ISSUED, SpKeyGenerator.DEFAULT_VALIDITY);
    /** A key nobody configured: an attacker's. */
    public static final SpCredential ATTACKER = GENERATOR.generate("Test IdP", ISSUED, SpKeyGenerator.DEFAULT_VALIDITY);
    /** The SP's key (AuthnRequest signing, assertion decryption). */
    public static final SpCredential SP = GENERATOR.generate("Gatehouse SP", ISSUED, SpKeyGenerator.DEFAULT_VALIDITY);
    /** Another SP key (decryption rollover, wrong-key decryption). */
    public static final SpCredential SP_OTHER = GENERATOR.generate("Gatehouse SP 2", ISSUED, SpKeyGenerator.DEFAULT_VALIDITY);

    private TestKeys() {}
}
