package dev.gatehouse.core.event;

import java.util.Collection;
import java.util.Map;

/** A minimal JSON writer for event payloads (the core has no JSON library). Keys keep insertion order. */
public final class Json {
    private Json() {}

    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * Any plain value as JSON: null, String, Boolean, Number, a Map with String keys (insertion
     * order kept) or a Collection, nested to any depth. Anything else is written as its string form.
     */
    public static String value(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> quote(s);
            case Boolean b -> b.toString();
            case Double d when d.isNaN() || d.isInfinite() -> "null";
            case Float f when f.isNaN() || f.isInfinite() -> "null";
            case Number n -> n.toString();
            case Map<?, ?> map -> {
                StringBuilder out = new StringBuilder("{");
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    out.append(quote(String.valueOf(entry.getKey()))).append(':').append(value(entry.getValue()));
                }
                yield out.append('}').toString();
            }
            case Collection<?> list -> {
                StringBuilder out = new StringBuilder("[");
                boolean first = true;
                for (Object item : list) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    out.append(value(item));
                }
                yield out.append(']').toString();
            }
            default -> quote(value.toString());
        };
    }

    /** Writes one JSON object. */
    public static final class ObjectWriter {
        private final StringBuilder out = new StringBuilder("{");
        private boolean first = true;

        private ObjectWriter key(String name) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(quote(name)).append(':');
            return this;
        }

        public ObjectWriter put(String name, String value) {
            key(name).out.append(value == null ? "null" : quote(value));
            return this;
        }

        public ObjectWriter put(String name, boolean value) {
            key(name).out.append(value);
            return this;
        }

        public ObjectWriter put(String name, long value) {
            key(name).out.append(value);
            return this;
        }

        public ObjectWriter put(String name, Map<String, String> value) {
            ObjectWriter nested = new ObjectWriter();
            value.forEach(nested::put);
            return putRaw(name, nested.toString());
        }

        public ObjectWriter putStrings(String name, Collection<String> values) {
            StringBuilder array = new StringBuilder("[");
            for (String v : values) {
                if (array.length() > 1) {
                    array.append(',');
                }
                array.append(quote(v));
            }
            return putRaw(name, array.append(']').toString());
        }

        /** Puts an already-encoded JSON value. */
        public ObjectWriter putRaw(String name, String json) {
            key(name).out.append(json);
            return this;
        }

        @Override
        public String toString() {
            return out + "}";
        }
    }
}
