package dev.gatehouse.saml.sp;

import dev.gatehouse.saml.request.NameIdFormat;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the SP metadata of one connection publishes.
 *
 * @param entityId              the SP entity ID (the IdP's Audience)
 * @param acsUrl                the AssertionConsumerService (HTTP-POST binding)
 * @param signingCertificate    KeyDescriptor use="signing": the key AuthnRequests are signed with
 * @param encryptionCertificate KeyDescriptor use="encryption": the key the IdP encrypts assertions to
 * @param authnRequestsSigned   whether this SP signs its AuthnRequests
 * @param wantAssertionsSigned  whether this SP requires signed assertions
 * @param nameIdFormats         the NameID formats accepted, most preferred first
 */
public record SpMetadata(String entityId, String acsUrl, Optional<X509Certificate> signingCertificate,
                         Optional<X509Certificate> encryptionCertificate, boolean authnRequestsSigned,
                         boolean wantAssertionsSigned, List<NameIdFormat> nameIdFormats) {
    public SpMetadata {
        Objects.requireNonNull(entityId);
        Objects.requireNonNull(acsUrl);
        Objects.requireNonNull(signingCertificate);
        Objects.requireNonNull(encryptionCertificate);
        nameIdFormats = List.copyOf(nameIdFormats);
        if (authnRequestsSigned && signingCertificate.isEmpty()) {
            throw new IllegalArgumentException("signed AuthnRequests need a signing certificate in the metadata");
        }
    }
}
