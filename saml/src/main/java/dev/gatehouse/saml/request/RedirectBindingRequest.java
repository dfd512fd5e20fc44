package dev.gatehouse.saml.request;

import java.net.URI;

/**
 * An AuthnRequest for the HTTP-Redirect binding: send the browser a 302 to {@code location}.
 * {@code requestId} is what the response's InResponseTo must name.
 */
public record RedirectBindingRequest(String requestId, URI location) {}
