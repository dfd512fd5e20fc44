package dev.gatehouse.core.connection;

import java.util.Optional;

/**
 * A change to a SAML connection's settings: an absent part keeps its value, an empty string clears an optional
 * text. {@code idpCertificates} replaces the certificates entered by hand (one or more PEM blocks);
 * {@code idpMetadataUrl} or {@code idpMetadataXml} replace the IdP's entity ID, endpoints and certificates with
 * the metadata's. Build one with {@link #builder()}.
 */
public record SamlPatch(
        Optional<String> idpMetadataUrl,
        Optional<String> idpMetadataXml,
        Optional<String> idpEntityId,
        Optional<String> idpSsoUrl,
        Optional<String> idpCertificates,
        Optional<String> idpSloUrl,
        Optional<NameIdFormat> nameIdFormat,
        Optional<RequestBinding> ssoRequestBinding,
        Optional<RequestBinding> sloRequestBinding,
        Optional<SamlSigningOption> signingOption,
        Optional<Boolean> wantRequestSigned,
        Optional<Boolean> assertionEncrypted,
        Optional<Boolean> forceAuthn,
        Optional<Boolean> allowIdpInitiatedLogin,
        Optional<Boolean> idpSloRequired,
        Optional<Boolean> allowSha1Signatures,
        Optional<String> defaultRedirectUri,
        Optional<String> spEntityId) {

    public boolean setsManualIdp() {
        return idpEntityId.isPresent() || idpSsoUrl.isPresent() || idpCertificates.isPresent();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts that are present. */
    public static final class Builder {
        private Optional<String> idpMetadataUrl = Optional.empty();
        private Optional<String> idpMetadataXml = Optional.empty();
        private Optional<String> idpEntityId = Optional.empty();
        private Optional<String> idpSsoUrl = Optional.empty();
        private Optional<String> idpCertificates = Optional.empty();
        private Optional<String> idpSloUrl = Optional.empty();
        private Optional<NameIdFormat> nameIdFormat = Optional.empty();
        private Optional<RequestBinding> ssoRequestBinding = Optional.empty();
        private Optional<RequestBinding> sloRequestBinding = Optional.empty();
        private Optional<SamlSigningOption> signingOption = Optional.empty();
        private Optional<Boolean> wantRequestSigned = Optional.empty();
        private Optional<Boolean> assertionEncrypted = Optional.empty();
        private Optional<Boolean> forceAuthn = Optional.empty();
        private Optional<Boolean> allowIdpInitiatedLogin = Optional.empty();
        private Optional<Boolean> idpSloRequired = Optional.empty();
        private Optional<Boolean> allowSha1Signatures = Optional.empty();
        private Optional<String> defaultRedirectUri = Optional.empty();
        private Optional<String> spEntityId = Optional.empty();

        public Builder idpMetadataUrl(String v) { idpMetadataUrl = Optional.of(v); return this; }
        public Builder idpMetadataXml(String v) { idpMetadataXml = Optional.of(v); return this; }
        public Builder idpEntityId(String v) { idpEntityId = Optional.of(v); return this; }
        public Builder idpSsoUrl(String v) { idpSsoUrl = Optional.of(v); return this; }
        public Builder idpCertificates(String v) { idpCertificates = Optional.of(v); return this; }
        public Builder idpSloUrl(String v) { idpSloUrl = Optional.of(v); return this; }
        public Builder nameIdFormat(NameIdFormat v) { nameIdFormat = Optional.of(v); return this; }
        public Builder ssoRequestBinding(RequestBinding v) { ssoRequestBinding = Optional.of(v); return this; }
        public Builder sloRequestBinding(RequestBinding v) { sloRequestBinding = Optional.of(v); return this; }
        public Builder signingOption(SamlSigningOption v) { signingOption = Optional.of(v); return this; }
        public Builder wantRequestSigned(boolean v) { wantRequestSigned = Optional.of(v); return this; }
        public Builder assertionEncrypted(boolean v) { assertionEncrypted = Optional.of(v); return this; }
        public Builder forceAuthn(boolean v) { forceAuthn = Optional.of(v); return this; }
        public Builder allowIdpInitiatedLogin(boolean v) { allowIdpInitiatedLogin = Optional.of(v); return this; }
        public Builder idpSloRequired(boolean v) { idpSloRequired = Optional.of(v); return this; }
        public Builder allowSha1Signatures(boolean v) { allowSha1Signatures = Optional.of(v); return this; }
        public Builder defaultRedirectUri(String v) { defaultRedirectUri = Optional.of(v); return this; }
        public Builder spEntityId(String v) { spEntityId = Optional.of(v); return this; }

        public SamlPatch build() {
            return new SamlPatch(idpMetadataUrl, idpMetadataXml, idpEntityId, idpSsoUrl, idpCertificates, idpSloUrl,
                    nameIdFormat, ssoRequestBinding, sloRequestBinding, signingOption, wantRequestSigned,
                    assertionEncrypted, forceAuthn, allowIdpInitiatedLogin, idpSloRequired, allowSha1Signatures,
                    defaultRedirectUri, spEntityId);
        }
    }
}
