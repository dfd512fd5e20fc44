package dev.gatehouse.core.audit;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which field names say that a value is a secret, for the {@code before} and {@code after} of audit records: a name
 * containing {@code secret}, {@code password}, {@code private_key} or {@code api_key}, or that is or ends in
 * {@code token} (page tokens excepted), in snake_case or camelCase. Such values are written as {@link #REDACTED}.
 */
public final class SecretFieldNames {
    public static final String REDACTED = "[REDACTED]";
    private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");

    private SecretFieldNames() {}

    public static boolean isSecret(String fieldName) {
        String name = CAMEL_HUMP.matcher(fieldName).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
        if (name.endsWith("page_token")) {
            return false;
        }
        return name.contains("secret") || name.contains("password") || name.contains("private_key")
                || name.contains("api_key") || name.equals("token") || name.endsWith("_token");
    }
}
