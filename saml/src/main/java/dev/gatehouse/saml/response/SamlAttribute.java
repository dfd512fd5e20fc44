package dev.gatehouse.saml.response;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One {@code saml:Attribute} of the verified assertion; each value is the full text of its AttributeValue. */
public record SamlAttribute(String name, Optional<String> friendlyName, Optional<String> nameFormat, List<String> values) {
    public SamlAttribute {
        Objects.requireNonNull(name);
        values = List.copyOf(values);
    }
}
