package dev.gatehouse.core.passwordless;

import dev.gatehouse.core.mail.EmailTemplate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The passwordless email templates: one per type and intent ({@code passwordless_otp_signin} …
 * {@code passwordless_link_otp_signup}), their built-in wording, and the variables every one gets.
 */
public final class PasswordlessEmails {
    /** Variables Gatehouse fills in; a request's template_variables may not use these names. */
    public static final Set<String> RESERVED_VARIABLES = Set.of("otp", "link", "magic_link", "expiry_time_relative",
            "expire_time", "expiry_time", "expiry_minutes", "app_name", "user.email", "email");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private PasswordlessEmails() {}

    public static String templateId(PasswordlessType type, PasswordlessIntent intent) {
        return "passwordless_" + type.name().toLowerCase(Locale.ROOT) + "_" + intent.name().toLowerCase(Locale.ROOT);
    }

    /** The built-in templates, by ID. */
    public static Map<String, EmailTemplate> defaults() {
        Map<String, EmailTemplate> all = new LinkedHashMap<>();
        for (PasswordlessType type : PasswordlessType.values()) {
            for (PasswordlessIntent intent : PasswordlessIntent.values()) {
                all.put(templateId(type, intent), builtIn(type, intent));
            }
        }
        return all;
    }

    private static EmailTemplate builtIn(PasswordlessType type, PasswordlessIntent intent) {
        boolean signup = intent == PasswordlessIntent.SIGNUP;
        String action = signup ? "finish signing up for" : "sign in to";
        String subject = switch (type) {
            case OTP -> signup ? "Your {{app_name}} sign-up code" : "Your {{app_name}} sign-in code";
            case LINK, LINK_OTP -> signup ? "Finish signing up for {{app_name}}" : "Sign in to {{app_name}}";
        };
        String ignore = "If you did not ask for this email, you can ignore it.";
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder("<div style=\"font-family:system-ui,sans-serif;font-size:15px;color:#1c1e21\">");
        if (type.sendsLink()) {
            text.append("Open this link to ").append(action).append(" {{app_name}}:\n\n{{link}}\n\n");
            html.append("<p>Click the button to ").append(action).append(" {{app_name}}.</p>")
                    .append("<p><a href=\"{{link}}\" style=\"display:inline-block;padding:10px 18px;background:#3b5bdb;")
                    .append("color:#fff;border-radius:6px;text-decoration:none\">").append(signup ? "Finish signing up" : "Sign in")
                    .append("</a></p>");
        }
        if (type == PasswordlessType.LINK_OTP) {
            text.append("Or enter this code: {{otp}}\n\n");
            html.append("<p>Or enter this code:</p>");
        } else if (type == PasswordlessType.OTP) {
            text.append("Enter this code to ").append(action).append(" {{app_name}}:\n\n{{otp}}\n\n");
            html.append("<p>Enter this code to ").append(action).append(" {{app_name}}:</p>");
        }
        if (type.sendsCode()) {
            html.append("<p style=\"font-size:28px;font-weight:600;letter-spacing:4px\">{{otp}}</p>");
        }
        String expiry = type.sendsLink() && type.sendsCode() ? "The link and the code expire"
                : type.sendsLink() ? "The link expires" : "The code expires";
        text.append(expiry).append(" in {{expiry_time_relative}}. ").append(ignore).append('\n');
        html.append("<p style=\"color:#555b66\">").append(expiry).append(" in {{expiry_time_relative}}. ").append(ignore)
                .append("</p></div>");
        return new EmailTemplate(subject, text.toString(), Optional.of(html.toString()));
    }

    /** The values of one email: Gatehouse's variables over the request's own. */
    static Map<String, String> variables(PasswordlessRequest request, Optional<String> code, Optional<String> link,
                                         String appName) {
        Map<String, String> values = new LinkedHashMap<>(request.templateVariables());
        code.ifPresent(c -> values.put("otp", c));
        link.ifPresent(l -> {
            values.put("link", l);
            values.put("magic_link", l);
        });
        values.put("expiry_time_relative", relative(request.expiresIn()));
        values.put("expiry_minutes", Long.toString((request.expiresIn().toSeconds() + 59) / 60));
        values.put("expiry_time", TIME.format(request.expiresAt()));
        values.put("expire_time", TIME.format(request.expiresAt()));
        values.put("app_name", appName);
        values.put("user.email", request.email());
        values.put("email", request.email());
        return values;
    }

    static String relative(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0) {
            return plural(seconds / 3600, "hour");
        }
        if (seconds % 60 == 0) {
            return plural(seconds / 60, "minute");
        }
        return plural(seconds, "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
