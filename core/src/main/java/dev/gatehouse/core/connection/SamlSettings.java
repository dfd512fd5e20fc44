package dev.gatehouse.core.connection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A SAML connection's IdP details (spec-sso.md §3.5): entered by hand, or learnt from IdP metadata by URL (then
 * refreshed on a schedule) or by XML. Several certificates are kept during a rollover; a signature by any of them
 * is accepted (R-SSO-53).
 *
 * @param spEntityId an SP entity ID chosen by the admin, replacing the default of {@link ServiceProviderUrls}
 * @param metadataRefreshedAt when the metadata URL was last fetched successfully
 * @param metadataError why the last scheduled refresh failed (the previous details stay in use), if it did
 */
public record SamlSettings(
        Optional<String> idpMetadataUrl,
        Optional<String> idpEntityId,
        Optional<String> idpSsoUrl,
        Optional<String> idpSloUrl,
        List<IdpCertificate> idpCertificates,
        NameIdFormat nameIdFormat,
        RequestBinding ssoRequestBinding,
        RequestBinding sloRequestBinding,
        SamlSigningOption signingOption,
        boolean wantRequestSigned,
        boolean assertionEncrypted,
        boolean forceAuthn,
        boolean allowIdpInitiatedLogin,
        boolean idpSloRequired,
        boolean allowSha1Signatures,
        Optional<String> defaultRedirectUri,
        Optional<String> spEntityId,
        Optional<Instant> metadataRefreshedAt,
        Optional<String> metadataError) implements ConnectionSettings {

    public SamlSettings {
        idpCertificates = List.copyOf(idpCertificates);
    }

    /** The settings of a new SAML connection: nothing about the IdP, safe defaults for the rest. */
    public static SamlSettings empty() {
        return new SamlSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                NameIdFormat.UNSPECIFIED, RequestBinding.HTTP_POST, RequestBinding.HTTP_POST,
                SamlSigningOption.RESPONSE_OR_ASSERTION, false, false, false, false, false, false,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Override
    public List<String> missing(boolean debugEnabled) {
        List<String> missing = new ArrayList<>();
        if (idpEntityId.isEmpty()) {
            missing.add("idp_entity_id");
        }
        if (idpSsoUrl.isEmpty()) {
            missing.add("idp_sso_url");
        }
        boolean unsignedAllowed = signingOption == SamlSigningOption.NO_SIGNING && debugEnabled;
        if (idpCertificates.isEmpty() && !unsignedAllowed) {
            missing.add("idp_certificate");
        }
        return missing;
    }

    @Override
    public boolean isEmpty() {
        return idpMetadataUrl.isEmpty() && idpEntityId.isEmpty() && idpSsoUrl.isEmpty() && idpCertificates.isEmpty();
    }

    @Override
    public boolean discovered() {
        return idpMetadataUrl.isPresent();
    }
}
