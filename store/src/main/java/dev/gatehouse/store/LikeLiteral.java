package dev.gatehouse.store;

/**
 * Text matched literally inside a SQL {@code LIKE} pattern, with {@code !} as the escape character: every query says
 * {@link #ESCAPE} after its pattern. Not a backslash: JDBI's statement parser reads {@code '\'} as an escaped quote,
 * so a second such literal in one statement swallowed the named parameters between them (D-DB4). The same on H2 and
 * PostgreSQL.
 */
final class LikeLiteral {
    /** The clause after every pattern built with {@link #of}. */
    static final String ESCAPE = " escape '!'";

    private LikeLiteral() {}

    /** {@code value} with {@code !}, {@code %} and {@code _} escaped, so that it matches only itself. */
    static String of(String value) {
        return value.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    /** A pattern matching any text that contains {@code value}. */
    static String containing(String value) {
        return "%" + of(value) + "%";
    }
}
