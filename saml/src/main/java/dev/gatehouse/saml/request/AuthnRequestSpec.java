package dev.gatehouse.saml.request;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * What an AuthnRequest asks for.
 *
 * @param spEntityId   the Issuer
 * @param acsUrl       AssertionConsumerServiceURL (the IdP answers with the HTTP-POST binding)
 * @param idpSsoUrl    where the request goes; also its Destination
 * @param nameIdFormat NameIDPolicy Format (with AllowCreate="true"); empty leaves the choice to the IdP
 * @param forceAuthn   ask the IdP to authenticate the user again even with a session
 * @param loginHint    the user's email, sent as Subject/NameID so that the IdP can prefill its login form
 */
public record AuthnRequestSpec(String spEntityId, String acsUrl, String idpSsoUrl, Optional<NameIdFormat> nameIdFormat,
                               boolean forceAuthn, Optional<String> loginHint) {
    public AuthnRequestSpec {
        Objects.requireNonNull(spEntityId);
        Objects.requireNonNull(acsUrl);
        Objects.requireNonNull(nameIdFormat);
        Objects.requireNonNull(loginHint);
        String scheme = URI.create(idpSsoUrl).getScheme();
        if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("idpSsoUrl must be an http(s) URL");
        }
    }
}
