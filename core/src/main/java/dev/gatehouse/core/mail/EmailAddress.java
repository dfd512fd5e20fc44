package dev.gatehouse.core.mail;

import java.util.Locale;
import java.util.regex.Pattern;

/** The addresses Gatehouse sends to and from: ASCII, {@code local@domain.tld}, at most 254 characters (RFC 5321). */
public final class EmailAddress {
    public static final int MAX_LENGTH = 254;
    private static final Pattern SHAPE = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

    private EmailAddress() {}

    public static boolean isValid(String address) {
        return address != null && address.length() <= MAX_LENGTH && SHAPE.matcher(address).matches();
    }

    /** The form addresses are compared and counted in (ASCII, so lower-casing is safe). */
    public static String canonical(String address) {
        return address.toLowerCase(Locale.ROOT);
    }
}
