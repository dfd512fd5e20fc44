package dev.gatehouse.saml.response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an accepted response says, read only from the verified assertion element.
 *
 * @param assertionId   the assertion's ID (already recorded in the replay cache)
 * @param issuer        the assertion's Issuer, equal to the connection's IdP entity ID
 * @param inResponseTo  the AuthnRequest ID answered; empty for an IdP-initiated response
 * @param expiresAt     the earliest NotOnOrAfter of the bearer confirmation and the Conditions
 * @param responseSigned  whether the Response carried a verified signature
 * @param assertionSigned whether the Assertion carried a verified signature
 * @param encrypted     whether the assertion arrived as an EncryptedAssertion
 */
public record ValidatedAssertion(
        String assertionId,
        String issuer,
        NameId nameId,
        Optional<String> sessionIndex,
        Optional<Instant> authnInstant,
        List<SamlAttribute> attributes,
        Optional<String> inResponseTo,
        Instant expiresAt,
        boolean responseSigned,
        boolean assertionSigned,
        boolean encrypted) implements SamlValidation {

    public ValidatedAssertion {
        attributes = List.copyOf(attributes);
    }

    /** True when no AuthnRequest preceded the response (IdP-initiated login). */
    public boolean idpInitiated() {
        return inResponseTo.isEmpty();
    }

    /** The values of every attribute whose Name or FriendlyName is {@code name}, in document order. */
    public List<String> values(String name) {
        List<String> values = new ArrayList<>();
        for (SamlAttribute attribute : attributes) {
            if (attribute.name().equals(name) || attribute.friendlyName().filter(name::equals).isPresent()) {
                values.addAll(attribute.values());
            }
        }
        return values;
    }

    /** The attributes by Name (attributes sent several times are merged), in document order. */
    public Map<String, List<String>> attributesByName() {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (SamlAttribute attribute : attributes) {
            byName.computeIfAbsent(attribute.name(), n -> new ArrayList<>()).addAll(attribute.values());
        }
        byName.replaceAll((name, values) -> List.copyOf(values));
        return byName;
    }
}
