package dev.gatehouse.saml.request;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An AuthnRequest for the HTTP-POST binding: a page with a form that posts {@link #fields()} to
 * {@code action} and submits itself. {@code samlRequest} is the base64 of the (optionally signed) XML.
 * The page itself is rendered by the HTTP layer (escaping, CSP). {@code requestId} is what the response's
 * InResponseTo must name.
 */
public record PostBindingForm(String requestId, String action, String samlRequest, Optional<String> relayState) {
    /** The hidden inputs in order: {@code SAMLRequest}, then {@code RelayState} when there is one. */
    public Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("SAMLRequest", samlRequest);
        relayState.ifPresent(value -> fields.put("RelayState", value));
        return fields;
    }
}
