package dev.gatehouse.core.connection;

/**
 * What an organization's domain is for: ORGANIZATION_DOMAIN routes logins of that email domain to the
 * organization's SSO (home realm discovery); ALLOWED_EMAIL_DOMAIN only lets users with such an email join the
 * organization and never routes a login.
 */
public enum DomainType {
    ORGANIZATION_DOMAIN,
    ALLOWED_EMAIL_DOMAIN
}
