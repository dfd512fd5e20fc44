package dev.gatehouse.store;

import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageCursor;
import dev.gatehouse.core.shared.PageRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Keyset pagination over a table ordered by its {@code id} column. A page is stable when rows are
 * inserted between requests: the cursor names the last (or first) ID seen, not an offset.
 *
 * @param table  the table name
 * @param filter a SQL condition over the table, already scoped by environment (with named parameters)
 */
record KeysetPager<T>(String table, String filter, Map<String, Object> parameters, RowMapper<T> mapper,
                      Function<T, String> idOf) {

    Page<T> page(Handle handle, PageRequest request) {
        Optional<PageCursor> cursor = request.cursor();
        boolean backward = cursor.map(c -> c.direction() == PageCursor.Direction.BACKWARD).orElse(false);
        StringBuilder sql = new StringBuilder("select * from ").append(table).append(" where ").append(filter);
        cursor.ifPresent(c -> sql.append(backward ? " and id < :anchor" : " and id > :anchor"));
        sql.append(backward ? " order by id desc" : " order by id asc").append(" limit :limit");

        var query = handle.createQuery(sql.toString()).bindMap(parameters).bind("limit", request.size() + 1);
        cursor.ifPresent(c -> query.bind("anchor", c.anchorId()));
        List<T> rows = new ArrayList<>(query.map(mapper).list());
        boolean more = rows.size() > request.size();
        if (more) {
            rows.removeLast();
        }
        if (backward) {
            Collections.reverse(rows);
        }

        Optional<PageCursor> next = Optional.empty();
        Optional<PageCursor> previous = Optional.empty();
        if (!rows.isEmpty()) {
            String firstId = idOf.apply(rows.getFirst());
            String lastId = idOf.apply(rows.getLast());
            boolean hasNext = backward ? cursor.isPresent() && exists(handle, "id > :anchor", lastId) : more;
            boolean hasPrevious = backward ? more : cursor.isPresent() && exists(handle, "id < :anchor", firstId);
            next = hasNext ? Optional.of(PageCursor.after(lastId)) : Optional.empty();
            previous = hasPrevious ? Optional.of(PageCursor.before(firstId)) : Optional.empty();
        }
        long total = handle.createQuery("select count(*) from " + table + " where " + filter)
                .bindMap(parameters).mapTo(Long.class).one();
        return new Page<>(rows, next, previous, total);
    }

    private boolean exists(Handle handle, String condition, String anchor) {
        return handle.createQuery("select 1 from " + table + " where " + filter + " and " + condition + " limit 1")
                .bindMap(parameters).bind("anchor", anchor).mapTo(Integer.class).findOne().isPresent();
    }
}
