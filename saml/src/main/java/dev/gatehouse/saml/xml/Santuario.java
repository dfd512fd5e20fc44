package dev.gatehouse.saml.xml;

import org.apache.xml.security.Init;

/** Apache Santuario is initialised once per process, before its first use. */
public final class Santuario {
    static {
        Init.init();
    }

    private Santuario() {}

    /** Makes sure {@link Init#init()} ran (the class initialiser does it exactly once). */
    public static void ensureInitialized() {
        // Loading this class is the work.
    }
}
