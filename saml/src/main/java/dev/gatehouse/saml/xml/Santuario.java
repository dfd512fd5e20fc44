package dev.gatehouse.saml.xml;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.xml.security.Init;

/**
 * Apache Santuario is initialised once per process, before its first use. Its own warnings ("Signature
 * verification failed" for each configured key tried during a certificate rollover, "MGF1 … Using SHA-1 as
 * default" for every RSA-OAEP key) are normal outcomes here and are reported by the validator's refusals
 * instead, so Santuario's logger (JUL, the JDK's System.Logger backend) is limited to SEVERE.
 */
public final class Santuario {
    /** Held so that the JUL logger (weakly referenced by its manager) keeps its level. */
    private static final Logger SANTUARIO_LOG = Logger.getLogger("org.apache.xml.security");

    static {
        SANTUARIO_LOG.setLevel(Level.SEVERE);
        Init.init();
    }

    private Santuario() {}

    /** Makes sure {@link Init#init()} ran (the class initialiser does it exactly once). */
    public static void ensureInitialized() {
        // Loading this class is the work.
    }
}
