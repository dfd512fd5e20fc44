package dev.gatehouse.core.connection;

import java.time.Instant;

/**
 * The SP's own key pair of one SAML connection: the certificate IdPs are given (to verify signed AuthnRequests
 * and to encrypt assertions) and the private key, sealed under the master key with the connection ID as
 * associated data. {@link ConnectionService#spPrivateKey} opens it.
 */
public record SpCredential(String certificateId, String certificatePem, Instant expiryTime, SealedValue sealedPrivateKey) {}
