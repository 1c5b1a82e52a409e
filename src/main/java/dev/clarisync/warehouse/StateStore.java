package dev.clarisync.warehouse;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The SQL of {@code _sync_state}: (stream, key) → value, e.g. a stream's cursor. Reads see committed state outside a
 * transaction; writes go through the {@link WarehouseTx} they commit with. The dialect builds every statement.
 */
final class StateStore {
    private final Warehouse w;

    StateStore(Warehouse w) {
        this.w = w;
    }

    /** The state of {@code stream} as key → value, by key (empty if none). */
    Map<String, String> read(String stream) {
        Objects.requireNonNull(stream, "stream");
        Dialect d = w.dialect();
        Map<String, String> state = new LinkedHashMap<>();
        for (Map<String, Object> row : w.query(d.select(table(), List.of("key", "value"), "stream") + " ORDER BY " + d.quote("key"),
                stream)) {
            state.put((String) row.get("key"), (String) row.get("value"));
        }
        return state;
    }

    /** Upserts {@code (stream, key) -> value} with the writer's session, inside its transaction; a null value removes the key. */
    void put(WriteSession session, String stream, String key, String value) throws SQLException {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(key, "key");
        Dialect d = w.dialect();
        if (value == null) {
            session.update(d.delete(table(), "stream", "key"), stream, key);
        } else if (session.update(d.update(table(), List.of("value", "updated_at"), "stream", "key"), value, w.now(), stream, key) == 0) {
            session.update(d.insert(table(), "stream", "key", "value", "updated_at"), stream, key, value, w.now());
        }
    }

    private String table() {
        return w.table(BookkeepingTables.SYNC_STATE);
    }
}
