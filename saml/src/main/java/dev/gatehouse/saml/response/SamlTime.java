package dev.gatehouse.saml.response;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.w3c.dom.Element;

/** xs:dateTime attributes of SAML: UTC with {@code Z} or an offset; a value without a zone is read as UTC. */
final class SamlTime {
    private SamlTime() {}

    static Optional<Instant> optional(Element element, String attribute, ValidationStep step) throws Rejected {
        if (!element.hasAttributeNS(null, attribute)) {
            return Optional.empty();
        }
        String value = element.getAttributeNS(null, attribute).strip();
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException withoutZone) {
            try {
                return Optional.of(LocalDateTime.parse(value).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                throw new Rejected(SamlErrorCode.MALFORMED_SAML_RESPONSE, step,
                        element.getLocalName() + "@" + attribute + " is not an xs:dateTime");
            }
        }
    }

    static Instant required(Element element, String attribute, ValidationStep step) throws Rejected {
        Optional<Instant> value = optional(element, attribute, step);
        if (value.isEmpty()) {
            throw new Rejected(SamlErrorCode.MALFORMED_SAML_RESPONSE, step,
                    element.getLocalName() + "@" + attribute + " is missing");
        }
        return value.get();
    }
}
