package dev.gatehouse.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** Converts between Instants and the {@code timestamp with time zone} columns, the same way on H2 and PostgreSQL. */
final class Timestamps {
    private Timestamps() {}

    static OffsetDateTime bind(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant read(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static Optional<Instant> readOptional(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(read(rs, column));
    }
}
