package dev.gatehouse.core.directory;

/**
 * Who pushes to (or is polled by) a directory. The names are Scalekit's wire enum values;
 * {@code MICROSOFT_AD} is Microsoft Entra ID (Azure AD), {@code GENERIC} any other SCIM 2.0 client
 * (DIRECTORY_PROVIDER_UNSPECIFIED on the wire). See docs/DECISIONS.md D-S2.
 */
public enum DirectoryProvider {
    GENERIC, OKTA, GOOGLE, MICROSOFT_AD, AUTH0, ONELOGIN, JUMPCLOUD, PING_IDENTITY;

    public String displayName() {
        return switch (this) {
            case GENERIC -> "SCIM";
            case OKTA -> "Okta";
            case GOOGLE -> "Google Workspace";
            case MICROSOFT_AD -> "Microsoft Entra ID";
            case AUTH0 -> "Auth0";
            case ONELOGIN -> "OneLogin";
            case JUMPCLOUD -> "JumpCloud";
            case PING_IDENTITY -> "PingIdentity";
        };
    }
}
