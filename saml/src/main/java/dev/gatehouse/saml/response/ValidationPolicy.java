package dev.gatehouse.saml.response;

import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one SAML response must satisfy: the connection's configuration plus the state of the login (the
 * AuthnRequest ID this browser is waiting for, if any). Build it with {@link #builder}.
 *
 * @param environmentId          replay-cache scope
 * @param connectionId           replay-cache scope
 * @param spEntityId             the only accepted Audience
 * @param acsUrl                 the only accepted Destination and bearer Recipient
 * @param idpEntityId            the only accepted Issuer (Response and Assertion)
 * @param idpCertificates        the only keys signatures are checked with (never the KeyInfo's)
 * @param signing                which elements must be signed
 * @param expectedInResponseTo   the ID of the AuthnRequest this browser sent; empty when there is none
 * @param allowIdpInitiated      whether a response answering no request is accepted (only when no request is expected)
 * @param requireEncryptedAssertion whether a plain Assertion is refused
 * @param decryptionKeys         SP private keys for EncryptedAssertion (several during a rollover)
 * @param allowSha1              whether rsa-sha1 signatures and sha1 digests are accepted
 * @param clockSkew              tolerance applied to every time check
 * @param maxResponseAge         how old the Response's IssueInstant may be (plus the skew)
 * @param sizeLimitBytes         a decoded response of this many bytes or more is refused before parsing
 */
public record ValidationPolicy(
        String environmentId,
        String connectionId,
        String spEntityId,
        String acsUrl,
        String idpEntityId,
        IdpCertificates idpCertificates,
        SigningRequirement signing,
        Optional<String> expectedInResponseTo,
        boolean allowIdpInitiated,
        boolean requireEncryptedAssertion,
        List<PrivateKey> decryptionKeys,
        boolean allowSha1,
        Duration clockSkew,
        Duration maxResponseAge,
        int sizeLimitBytes) {

    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(2);
    public static final Duration DEFAULT_MAX_RESPONSE_AGE = Duration.ofMinutes(5);
    /** 1 MiB: a response of this size or more is refused. */
    public static final int DEFAULT_SIZE_LIMIT_BYTES = 1 << 20;

    public ValidationPolicy {
        Objects.requireNonNull(environmentId, "environmentId");
        Objects.requireNonNull(connectionId, "connectionId");
        requireText(spEntityId, "spEntityId");
        requireText(acsUrl, "acsUrl");
        requireText(idpEntityId, "idpEntityId");
        Objects.requireNonNull(idpCertificates, "idpCertificates");
        Objects.requireNonNull(signing, "signing");
        Objects.requireNonNull(expectedInResponseTo, "expectedInResponseTo");
        decryptionKeys = List.copyOf(decryptionKeys);
        if (clockSkew.isNegative() || maxResponseAge.isNegative()) {
            throw new IllegalArgumentException("clockSkew and maxResponseAge must not be negative");
        }
        if (sizeLimitBytes < 1) {
            throw new IllegalArgumentException("sizeLimitBytes must be positive");
        }
        if (signing != SigningRequirement.NONE && idpCertificates.isEmpty()) {
            throw new IllegalArgumentException("signatures are required but no IdP certificate is configured");
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    /** A policy for this connection with the defaults: no request expected, IdP-initiated refused, skew 2 min. */
    public static Builder builder(String environmentId, String connectionId) {
        return new Builder(environmentId, connectionId);
    }

    /** This policy for a response answering the AuthnRequest {@code requestId}. */
    public ValidationPolicy expectingResponseTo(String requestId) {
        return new ValidationPolicy(environmentId, connectionId, spEntityId, acsUrl, idpEntityId, idpCertificates, signing,
                Optional.of(requestId), allowIdpInitiated, requireEncryptedAssertion, decryptionKeys, allowSha1, clockSkew,
                maxResponseAge, sizeLimitBytes);
    }

    public static final class Builder {
        private final String environmentId;
        private final String connectionId;
        private String spEntityId;
        private String acsUrl;
        private String idpEntityId;
        private IdpCertificates idpCertificates = IdpCertificates.of(List.of());
        private SigningRequirement signing = SigningRequirement.EITHER;
        private Optional<String> expectedInResponseTo = Optional.empty();
        private boolean allowIdpInitiated;
        private boolean requireEncryptedAssertion;
        private List<PrivateKey> decryptionKeys = List.of();
        private boolean allowSha1;
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Duration maxResponseAge = DEFAULT_MAX_RESPONSE_AGE;
        private int sizeLimitBytes = DEFAULT_SIZE_LIMIT_BYTES;

        private Builder(String environmentId, String connectionId) {
            this.environmentId = environmentId;
            this.connectionId = connectionId;
        }

        public Builder spEntityId(String value) {
            this.spEntityId = value;
            return this;
        }

        public Builder acsUrl(String value) {
            this.acsUrl = value;
            return this;
        }

        public Builder idpEntityId(String value) {
            this.idpEntityId = value;
            return this;
        }

        public Builder idpCertificates(IdpCertificates value) {
            this.idpCertificates = value;
            return this;
        }

        public Builder signing(SigningRequirement value) {
            this.signing = value;
            return this;
        }

        public Builder expectedInResponseTo(String requestId) {
            this.expectedInResponseTo = Optional.of(requestId);
            return this;
        }

        public Builder allowIdpInitiated(boolean value) {
            this.allowIdpInitiated = value;
            return this;
        }

        public Builder requireEncryptedAssertion(boolean value) {
            this.requireEncryptedAssertion = value;
            return this;
        }

        public Builder decryptionKeys(List<PrivateKey> value) {
            this.decryptionKeys = value;
            return this;
        }

        public Builder allowSha1(boolean value) {
            this.allowSha1 = value;
            return this;
        }

        public Builder clockSkew(Duration value) {
            this.clockSkew = value;
            return this;
        }

        public Builder maxResponseAge(Duration value) {
            this.maxResponseAge = value;
            return this;
        }

        public Builder sizeLimitBytes(int value) {
            this.sizeLimitBytes = value;
            return this;
        }

        public ValidationPolicy build() {
            return new ValidationPolicy(environmentId, connectionId, spEntityId, acsUrl, idpEntityId, idpCertificates,
                    signing, expectedInResponseTo, allowIdpInitiated, requireEncryptedAssertion, decryptionKeys, allowSha1,
                    clockSkew, maxResponseAge, sizeLimitBytes);
        }
    }
}
