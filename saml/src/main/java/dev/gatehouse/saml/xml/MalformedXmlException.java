package dev.gatehouse.saml.xml;

/** The bytes are not a well-formed XML document that the hardened parser accepts (DOCTYPE included). */
public final class MalformedXmlException extends Exception {
    public MalformedXmlException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
