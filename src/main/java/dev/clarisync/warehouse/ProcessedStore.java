package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnSchema;
import dev.clarisync.schema.ColumnType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The SQL of {@code _processed}: (scope, id) → version, so later runs skip unchanged work. Where the dialect
 * remembers keys ({@link KeyPresence#REMEMBERED}), the keys the table may hold are kept in memory ({@link KeyFilter}): ids never marked are answered
 * without a query and marked with one bulk append. The dialect builds every statement.
 */
final class ProcessedStore {
    /** Ids per {@code IN (...)} list of one query. */
    private static final int IN_CHUNK = 500;
    private static final List<ColumnSchema> COLUMNS = List.of(new ColumnSchema("scope", ColumnType.VARCHAR, null),
            new ColumnSchema("id", ColumnType.VARCHAR, null), new ColumnSchema("version", ColumnType.VARCHAR, null),
            new ColumnSchema("processed_at", ColumnType.TIMESTAMP, null));
    private static final List<ColumnSchema> VERSION_COLUMNS = List.of(new ColumnSchema("id", ColumnType.VARCHAR, null),
            new ColumnSchema("version", ColumnType.VARCHAR, null));
    private static final List<String> NAMES = COLUMNS.stream().map(ColumnSchema::name).toList();

    private final Warehouse w;

    ProcessedStore(Warehouse w) {
        this.w = w;
    }

    /** The key of a row in {@link #filter}: unambiguous for any scope and id. */
    static String key(String scope, String id) {
        return scope.length() + ":" + scope + "/" + id;
    }

    /** The keys the table may hold (only where the dialect remembers keys), loaded on first use. */
    KeyFilter filter() throws SQLException {
        return w.writes().filter(BookkeepingTables.PROCESSED, f -> {
            try (Statement s = w.session().createStatement();
                 ResultSet rs = s.executeQuery(w.dialect().select(table(), List.of("scope", "id")))) {
                while (rs.next()) {
                    f.add(key(rs.getString(1), rs.getString(2)));
                }
            }
        });
    }

    /** The table's keys as {@link KeyPresence} asks about them: (scope, id) pairs cannot be bound as one array. */
    private KeyPresence.Probe keys() {
        return new KeyPresence.Probe() {
            @Override
            public KeyFilter filter() throws SQLException {
                return ProcessedStore.this.filter();
            }

            @Override
            public boolean anyPresent(Collection<String> keys) {
                return true;
            }
        };
    }

    /** The versions of {@code scope} for those of {@code ids} that are present (a version may be null). */
    Map<String, String> versions(String scope, Collection<String> ids) {
        Objects.requireNonNull(scope, "scope");
        List<String> all = new ArrayList<>(new HashSet<>(ids));
        if (!all.isEmpty()) {
            List<String> keys = all.stream().map(id -> key(scope, id)).toList();
            Set<String> known = new HashSet<>(w.withSession(() -> w.dialect().keyPresence().mayHold(keys(), keys)));
            all.removeIf(id -> !known.contains(key(scope, id)));
        }
        Dialect d = w.dialect();
        Map<String, String> versions = new HashMap<>();
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
            Object[] binds = new Object[chunk.size() + 1];
            binds[0] = scope;
            for (int i = 0; i < chunk.size(); i++) {
                binds[i + 1] = chunk.get(i);
            }
            String sql = d.select(table(), List.of("id", "version"), "scope") + " AND " + d.quote("id") + " IN ("
                    + "?, ".repeat(chunk.size() - 1) + "?)";
            for (Map<String, Object> row : w.query(sql, binds)) {
                versions.put((String) row.get("id"), (String) row.get("version"));
            }
        }
        return versions;
    }

    /** Upserts {@code (scope, id) -> version} inside the transaction in progress (never-marked ids are appended in bulk). */
    void mark(WriteSession session, String scope, Map<String, String> idToVersion) throws SQLException {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(idToVersion, "idToVersion");
        if (idToVersion.isEmpty()) {
            return;
        }
        Dialect d = w.dialect();
        Instant now = w.now();
        List<String> keys = idToVersion.keySet().stream().map(id -> key(scope, id)).toList();
        if (!d.keyPresence().mayHoldAny(keys(), keys)) {
            // none of these ids was ever processed in this scope: append them
            List<Object[]> rows = new ArrayList<>(idToVersion.size());
            idToVersion.forEach((id, version) -> rows.add(new Object[] {scope, Objects.requireNonNull(id, "id"), version, now}));
            w.append(BookkeepingTables.PROCESSED, COLUMNS, rows);
        } else {
            List<Object[]> rows = new ArrayList<>(idToVersion.size());
            idToVersion.forEach((id, version) -> rows.add(new Object[] {Objects.requireNonNull(id, "id"), version}));
            String staged = session.loadStage(BookkeepingTables.PROCESSED, VERSION_COLUMNS, rows);
            String source = "SELECT CAST(? AS " + d.sqlType(ColumnType.VARCHAR) + ") AS " + d.quote("scope") + ", s." + d.quote("id")
                    + ", s." + d.quote("version") + ", CAST(? AS " + d.sqlType(ColumnType.TIMESTAMP) + ") AS " + d.quote("processed_at")
                    + " FROM " + d.quote(staged) + " s";
            for (String sql : d.merge(table(), NAMES, NAMES, List.of("scope", "id"), source)) {
                session.update(sql, scope, now);
            }
            session.clearStage(staged);
        }
        d.keyPresence().remember(keys(), keys);
    }

    private String table() {
        return w.table(BookkeepingTables.PROCESSED);
    }
}
