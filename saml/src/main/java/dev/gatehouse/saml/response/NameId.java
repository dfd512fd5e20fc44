package dev.gatehouse.saml.response;

import java.util.Objects;
import java.util.Optional;

/** The subject's NameID: its full text content (comments inside cannot cut it short) and its Format. */
public record NameId(String value, Optional<String> format) {
    public NameId {
        Objects.requireNonNull(value);
        Objects.requireNonNull(format);
    }
}
