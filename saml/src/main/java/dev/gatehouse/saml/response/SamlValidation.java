package dev.gatehouse.saml.response;

/**
 * The outcome of {@link SamlResponseValidator#validate}: a {@link ValidatedAssertion} or a {@link SamlRejection}.
 * A sealed result rather than an exception, because a refusal is an expected outcome that the caller must
 * handle (audit record, error redirect) and a {@code switch} over the two makes forgetting it a compile error.
 */
public sealed interface SamlValidation permits ValidatedAssertion, SamlRejection {}
