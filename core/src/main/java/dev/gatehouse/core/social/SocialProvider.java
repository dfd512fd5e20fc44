package dev.gatehouse.core.social;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The social providers of spec-sso §5 ({@code provider=} on the authorization URL), with each one's real endpoints
 * and default scopes. Every provider but GitHub is read through OpenID Connect userinfo; GitHub through its REST API
 * ({@code /user} and {@code /user/emails}), whose base is {@link #apiBase()}.
 */
public enum SocialProvider {
    GOOGLE("https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token",
            "https://openidconnect.googleapis.com/v1/userinfo", List.of("openid", "email", "profile")),
    MICROSOFT("https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
            "https://login.microsoftonline.com/common/oauth2/v2.0/token", "https://graph.microsoft.com/oidc/userinfo",
            List.of("openid", "email", "profile")),
    GITHUB("https://github.com/login/oauth/authorize", "https://github.com/login/oauth/access_token",
            "https://api.github.com", List.of("read:user", "user:email")),
    GITLAB("https://gitlab.com/oauth/authorize", "https://gitlab.com/oauth/token", "https://gitlab.com/oauth/userinfo",
            List.of("openid", "email", "profile")),
    LINKEDIN("https://www.linkedin.com/oauth/v2/authorization", "https://www.linkedin.com/oauth/v2/accessToken",
            "https://api.linkedin.com/v2/userinfo", List.of("openid", "email", "profile")),
    SALESFORCE("https://login.salesforce.com/services/oauth2/authorize",
            "https://login.salesforce.com/services/oauth2/token", "https://login.salesforce.com/services/oauth2/userinfo",
            List.of("openid", "email", "profile"));

    private final String authorizeUrl;
    private final String tokenUrl;
    private final String profileUrl;
    private final List<String> defaultScopes;

    SocialProvider(String authorizeUrl, String tokenUrl, String profileUrl, List<String> defaultScopes) {
        this.authorizeUrl = authorizeUrl;
        this.tokenUrl = tokenUrl;
        this.profileUrl = profileUrl;
        this.defaultScopes = defaultScopes;
    }

    /** The wire name ({@code google}, {@code github}, …). */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SocialProvider> fromWire(String value) {
        for (SocialProvider provider : values()) {
            if (provider.wire().equals(value)) {
                return Optional.of(provider);
            }
        }
        return Optional.empty();
    }

    public String defaultAuthorizeUrl() {
        return authorizeUrl;
    }

    public String defaultTokenUrl() {
        return tokenUrl;
    }

    /** The userinfo endpoint; for GitHub, the REST API base. */
    public String defaultProfileUrl() {
        return profileUrl;
    }

    public List<String> defaultScopes() {
        return defaultScopes;
    }

    /** GitHub has no userinfo: the profile comes from {@code /user} and the verified primary email from {@code /user/emails}. */
    public boolean usesGithubApi() {
        return this == GITHUB;
    }
}
