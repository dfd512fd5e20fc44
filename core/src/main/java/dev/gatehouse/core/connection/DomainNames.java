package dev.gatehouse.core.connection;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place where a domain name is checked and normalized: lower case, internationalized names in their
 * ASCII (punycode) form, one trailing dot dropped. A valid name has at least two labels of letters, digits and
 * hyphens (1–63 characters, no hyphen at either end), a top-level label that is not all digits (so no IP
 * addresses), and at most 253 characters. Public email providers are refused: nobody's organization owns them.
 */
public final class DomainNames {
    public static final int MIN_LENGTH = 4;
    public static final int MAX_LENGTH = 253;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");

    /** Shared email services; a domain of theirs would route every one of their users to one organization. */
    static final Set<String> PUBLIC_EMAIL_DOMAINS = Set.of(
            "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com",
            "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me",
            "gmx.com", "gmx.net", "gmx.de", "web.de", "mail.com", "yandex.com", "yandex.ru", "zoho.com", "qq.com",
            "163.com", "126.com", "fastmail.com", "hey.com", "tutanota.com", "mail.ru");

    private DomainNames() {}

    /** The normalized name, or why {@code raw} is not an acceptable domain (a sentence for the caller). */
    public static Result normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            return new Result.Invalid("domain is required");
        }
        String candidate = raw.strip();
        if (candidate.length() > MAX_LENGTH + 1) {
            return new Result.Invalid("domain must be at most " + MAX_LENGTH + " characters");
        }
        if (candidate.endsWith(".")) {
            candidate = candidate.substring(0, candidate.length() - 1);
        }
        String ascii;
        try {
            ascii = IDN.toASCII(candidate, 0).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return new Result.Invalid("domain is not a valid domain name");
        }
        if (ascii.length() < MIN_LENGTH || ascii.length() > MAX_LENGTH) {
            return new Result.Invalid("domain must be between " + MIN_LENGTH + " and " + MAX_LENGTH + " characters");
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            return new Result.Invalid("domain must have at least two labels, like example.com");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return new Result.Invalid("domain labels must be 1-63 letters, digits or inner hyphens");
            }
        }
        if (ALL_DIGITS.matcher(labels[labels.length - 1]).matches()) {
            return new Result.Invalid("domain must be a name, not an IP address");
        }
        if (PUBLIC_EMAIL_DOMAINS.contains(ascii)) {
            return new Result.Invalid("domain " + ascii + " is a public email provider and cannot belong to an organization");
        }
        return new Result.Valid(ascii);
    }

    /** The domain part of an email address (after the last {@code @}), normalized, if it has a valid one. */
    public static Optional<String> ofEmail(String email) {
        if (email == null) {
            return Optional.empty();
        }
        int at = email.lastIndexOf('@');
        if (at < 1 || at == email.length() - 1) {
            return Optional.empty();
        }
        return normalize(email.substring(at + 1)) instanceof Result.Valid valid ? Optional.of(valid.name()) : Optional.empty();
    }

    public sealed interface Result {
        record Valid(String name) implements Result {}

        record Invalid(String reason) implements Result {}
    }
}
