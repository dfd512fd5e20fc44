package dev.gatehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser going through Gatehouse's hosted login once (setup, never measured): {@code /oauth/authorize} →
 * {@code /login/{id}} → email → the one-time code read from the dev mailbox ({@code /_dev/mail.json}) or the magic
 * link → organization (create one, or pick the first) → the callback with a code and the {@code gatehouse_session}
 * cookie. The code is exchanged too, so a login that ends here works end to end.
 */
final class HostedLogin {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern ORGANIZATION = Pattern.compile("name=\"organization_id\" value=\"([^\"]+)\"");
    private static final Pattern ERROR = Pattern.compile("id=\"login-error\">([^<]*)<");
    private static final Pattern CODE = Pattern.compile("\\b\\d{6}\\b");
    private static final Pattern LINK = Pattern.compile("(/login/lgn_[0-9A-Za-z]+/link\\?link_token=[A-Za-z0-9_%.~-]+)");
    private static final int MAX_STEPS = 8;
    private static final Duration MAIL_WAIT = Duration.ofSeconds(15);

    private final FormHttp http;
    private final OidcClient client;

    HostedLogin(FormHttp http, OidcClient client) {
        this.http = http;
        this.client = client;
    }

    /**
     * Signs {@code email} in (signing up if needed); returns the browser's {@code Cookie} header from then on:
     * its login-binding cookie and the new session cookie, as a browser would send them at the next authorize.
     */
    String signIn(String email, String scope) throws InterruptedException {
        OidcClient.Pkce pkce = OidcClient.Pkce.next();
        String state = "setup-" + Long.toHexString(System.nanoTime());
        FormHttp.Answer response = http.get(client.authorizeRequest(scope, pkce, state), Optional.empty());
        String browser = FormHttp.setCookie(response, "gatehouse_browser")
                .orElseThrow(() -> new IllegalStateException("authorize did not start a login: HTTP "
                        + response.status() + " " + OidcClient.abbreviate(response.bodyUtf8())));
        String loginPath = URI.create(response.header("location").orElse("")).getRawPath();
        Optional<String> cookie = Optional.of("gatehouse_browser=" + browser);
        FormHttp.Answer page = http.get(loginPath, cookie);
        for (int step = 0; step < MAX_STEPS && page.status() != 302; step++) {
            String html = page.bodyUtf8();
            Matcher error = ERROR.matcher(html);
            if (page.status() != 200 || error.find()) {
                throw new IllegalStateException("login page: HTTP " + page.status() + " "
                        + (error.find(0) ? error.group(1) : OidcClient.abbreviate(html)));
            }
            Matcher csrfMatch = CSRF.matcher(html);
            if (!csrfMatch.find()) {
                throw new IllegalStateException("login page without a form: " + OidcClient.abbreviate(html));
            }
            String csrf = csrfMatch.group(1);
            if (html.contains("value=\"code\"")) {
                page = http.postForm(loginPath, FormHttp.form("csrf", csrf, "action", "code", "code",
                        mailed(email, CODE).group()), cookie);
            } else if (html.contains("id=\"sent-to\"")) { // a link-only environment: open the magic link here
                page = http.get(mailed(email, LINK).group(1), cookie);
            } else if (html.contains("value=\"create_organization\"")) {
                page = http.postForm(loginPath, FormHttp.form("csrf", csrf, "action", "create_organization",
                        "name", "Bench " + email), cookie);
            } else if (html.contains("value=\"organization\"")) {
                Matcher organization = ORGANIZATION.matcher(html);
                organization.find();
                page = http.postForm(loginPath, FormHttp.form("csrf", csrf, "action", "organization",
                        "organization_id", organization.group(1)), cookie);
            } else if (html.contains("value=\"email\"")) {
                page = http.postForm(loginPath, FormHttp.form("csrf", csrf, "action", "email", "email", email), cookie);
            } else {
                throw new IllegalStateException("unknown login step: " + OidcClient.abbreviate(html));
            }
        }
        String code = client.codeFromCallback(page, state);
        String session = FormHttp.setCookie(page, "gatehouse_session")
                .orElseThrow(() -> new IllegalStateException("the login set no gatehouse_session cookie"));
        client.exchangeCode(code, pkce);
        return "gatehouse_browser=" + browser + "; gatehouse_session=" + session;
    }

    /** The newest dev-mailbox message to {@code email} that holds {@code pattern}, waiting (bounded) for it. */
    private Matcher mailed(String email, Pattern pattern) throws InterruptedException {
        long deadline = System.nanoTime() + MAIL_WAIT.toNanos();
        do {
            FormHttp.Answer mail = http.get("/_dev/mail.json?limit=1&to=" + FormHttp.encode(email), Optional.empty());
            if (mail.status() != 200) {
                throw new IllegalStateException("dev mailbox: HTTP " + mail.status()
                        + " (is GATEHOUSE_DEV_MAILBOX on and no SMTP server set?)");
            }
            try {
                for (JsonNode message : JSON.readTree(mail.bodyUtf8()).path("messages")) {
                    Matcher matcher = pattern.matcher(message.path("text").asText(""));
                    if (matcher.find()) {
                        return matcher;
                    }
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("dev mailbox: not JSON", e);
            }
            Thread.sleep(100); // poll interval of a bounded wait for the mail to arrive
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("no mail to " + email + " within " + MAIL_WAIT.toSeconds() + " s");
    }
}
