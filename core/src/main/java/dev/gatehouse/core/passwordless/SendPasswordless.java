package dev.gatehouse.core.passwordless;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A request to email a one-time code and/or magic link.
 *
 * @param email             the recipient
 * @param intent            SIGNIN or SIGNUP (selects the template); absent: SIGNIN's template, and none is echoed on verify
 * @param magicLinkUri      where the link points; {@code link_token=<token>} is appended to its query. Required when
 *                          the type sends a link (headless: the app's {@code magiclink_auth_uri}; hosted login: a Gatehouse URL)
 * @param state             returned unchanged by verify
 * @param expiresIn         absent: {@link PasswordlessService#DEFAULT_EXPIRES_IN}
 * @param templateVariables the template's custom variables
 * @param type              absent: the environment's setting
 * @param enforceSameBrowser absent: the environment's setting
 * @param appName           the {{app_name}} of the email; absent: the environment's name
 */
public record SendPasswordless(String email, Optional<PasswordlessIntent> intent, Optional<String> magicLinkUri,
                               Optional<String> state, Optional<Duration> expiresIn, Map<String, String> templateVariables,
                               Optional<PasswordlessType> type, Optional<Boolean> enforceSameBrowser,
                               Optional<String> appName) {
    public SendPasswordless {
        templateVariables = Map.copyOf(templateVariables);
    }

    /** The headless API's request: type and same-browser enforcement come from the environment's settings. */
    public static SendPasswordless headless(String email, Optional<PasswordlessIntent> intent, Optional<String> magicLinkUri,
                                            Optional<String> state, Optional<Duration> expiresIn,
                                            Map<String, String> templateVariables) {
        return new SendPasswordless(email, intent, magicLinkUri, state, expiresIn, templateVariables,
                Optional.empty(), Optional.empty(), Optional.empty());
    }
}
