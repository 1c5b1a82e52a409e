package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the writer keeps between transactions on the warehouse's one session connection, so that a page costs a
 * handful of round trips rather than dozens of freshly parsed statements:
 * <ul>
 *   <li><b>Prepared statements</b> by SQL text (the hot-path SQL is stable from page to page).</li>
 *   <li><b>Stage tables</b>: one temporary table per column set, created once and emptied after every use inside
 *       the transaction that filled it, so it is empty whenever no transaction is running.</li>
 *   <li><b>Key filters</b> ({@link KeyFilter}) of the keys a table may hold, where the dialect allows it.</li>
 *   <li><b>Physical column order</b> of tables that the dialect appends to whole rows at a time.</li>
 *   <li><b>Text cleaned</b> by the dialect's {@link TextRule}: every value loaded or bound passes through it here (or
 *       in {@link Dialect#bind}), and values it changed are counted per table once their transaction commits.</li>
 * </ul>
 * A rollback undoes what the transaction did to the database, so the session forgets what may not be true any more:
 * stages created in it (their CREATE is undone), cached statements and column orders. Key filters keep the keys the
 * rolled-back transaction added: a key filter may over-approximate. Any DDL clears statements and column orders.
 */
final class WriteSession implements AutoCloseable {
    private static final String STAGE_PREFIX = "_clarisync_stage_";

    private final Dialect d;
    private final Connection c;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, String> stages = new HashMap<>();
    private final List<String> stagesCreatedInTx = new ArrayList<>();
    /** Stages loaded and not emptied yet (normally none between statements of the writer). */
    private final java.util.Set<String> dirty = new java.util.HashSet<>();
    private final Map<String, KeyFilter> filters = new HashMap<>();
    private final Map<String, List<String>> physical = new HashMap<>();
    private int stageCount;
    private final TextRule text;
    /** Values the rule changed in the running transaction, per table; published by {@link #committed}. */
    private final Map<String, Long> cleanedInTx = new HashMap<>();
    private final Map<String, java.util.concurrent.atomic.LongAdder> cleaned = new java.util.concurrent.ConcurrentHashMap<>();

    WriteSession(Dialect dialect, Connection session) {
        this.d = dialect;
        this.c = session;
        this.text = dialect.textRule();
    }

    /**
     * {@code rows} with every text value cleaned by the dialect's {@link TextRule}: the same list when nothing changed,
     * else a copy (the caller's arrays are never modified). Changed values count for {@code table} (null: not counted,
     * e.g. keys staged for a delete, already counted where their rows were written).
     */
    List<Object[]> clean(String table, List<Object[]> rows) {
        List<Object[]> out = null;
        long changed = 0;
        for (int r = 0; r < rows.size(); r++) {
            Object[] row = rows.get(r);
            Object[] copy = null;
            for (int i = 0; i < row.length; i++) {
                if (row[i] instanceof String s) {
                    String clean = text.clean(s);
                    if (clean != s) {
                        if (copy == null) {
                            copy = row.clone();
                        }
                        copy[i] = clean;
                        changed++;
                    }
                }
            }
            if (copy != null) {
                if (out == null) {
                    out = new ArrayList<>(rows);
                }
                out.set(r, copy);
            }
        }
        if (changed > 0 && table != null) {
            cleanedInTx.merge(table, changed, Long::sum);
        }
        return out == null ? rows : out;
    }

    /** Text values changed by the dialect's rule in committed transactions of this session, per table. */
    Map<String, Long> cleaned() {
        Map<String, Long> out = new java.util.TreeMap<>();
        cleaned.forEach((t, n) -> out.put(t, n.sum()));
        return out;
    }

    /** A prepared statement for {@code sql}, reused across transactions; callers must not close it. */
    PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = c.prepareStatement(sql);
            statements.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    /** Binds {@code binds} and runs a cached statement; returns the update count. */
    int update(String sql, Object... binds) throws SQLException {
        PreparedStatement ps = prepared(sql);
        for (int i = 0; i < binds.length; i++) {
            d.bind(ps, i + 1, binds[i]);
        }
        return ps.executeUpdate();
    }

    /**
     * Loads rows into the (empty) stage table for this column set, created in the current transaction if this
     * session has none, and returns its name. The caller uses it and {@link #clearStage empties it} in the same
     * transaction; a stage left loaded (a caller that caught a failure and went on) is emptied before its next use.
     */
    String loadStage(List<ColumnSchema> columns, List<Object[]> rows) throws SQLException {
        return loadStage(null, columns, rows);
    }

    /** {@link #loadStage(List, List)} of rows bound for {@code table}: text values the dialect's rule changed count for it. */
    String loadStage(String table, List<ColumnSchema> columns, List<Object[]> rows) throws SQLException {
        String name = stage(columns);
        if (dirty.contains(name)) {
            clearStage(name);
        }
        dirty.add(name);
        d.load(c, name, columns, clean(table, rows));
        return name;
    }

    private String stage(List<ColumnSchema> columns) throws SQLException {
        String signature = columns.stream().map(col -> col.name() + " " + d.sqlType(col.type())).collect(Collectors.joining(", "));
        String name = stages.get(signature);
        if (name == null) {
            name = STAGE_PREFIX + (++stageCount);
            String defs = columns.stream().map(col -> d.quote(col.name()) + " " + d.sqlType(col.type())).collect(Collectors.joining(", "));
            try (Statement s = c.createStatement()) {
                s.execute(d.createReusableStage(name, defs));
            }
            stages.put(signature, name);
            stagesCreatedInTx.add(signature);
        }
        return name;
    }

    /** Stage tables created in this session (and not undone by a rollback); for tests. */
    int stagesCreated() {
        return stages.size();
    }

    void clearStage(String stage) throws SQLException {
        update(d.clearStage(stage));
        dirty.remove(stage);
    }

    /** The key filter of a table, loaded on first use by {@code loader} (which adds every key the table holds). */
    KeyFilter filter(String table, FilterLoader loader) throws SQLException {
        KeyFilter f = filters.get(table);
        if (f == null) {
            f = new KeyFilter();
            loader.load(f);
            filters.put(table, f);
        }
        return f;
    }

    /** The loaded filter of a table, or null when none was loaded yet. */
    KeyFilter loadedFilter(String table) {
        return filters.get(table);
    }

    /** Fills a new filter with the keys a table holds. */
    @FunctionalInterface
    interface FilterLoader {
        void load(KeyFilter filter) throws SQLException;
    }

    /** The column names of a table in physical order, read once (by {@code reader}) and kept until DDL or a rollback. */
    List<String> physicalColumns(String table, ColumnReader reader) throws SQLException {
        List<String> cols = physical.get(table);
        if (cols == null) {
            cols = reader.read(table);
            physical.put(table, cols);
        }
        return cols;
    }

    /** Reads a table's column names in physical order. */
    @FunctionalInterface
    interface ColumnReader {
        List<String> read(String table) throws SQLException;
    }

    /** DDL ran: cached plans and column orders may be stale. */
    void schemaChanged() {
        closeStatements();
        physical.clear();
    }

    /** The transaction committed: stages created in it now outlive it. */
    void committed() {
        stagesCreatedInTx.clear();
        cleanedInTx.forEach((t, n) -> cleaned.computeIfAbsent(t, k -> new java.util.concurrent.atomic.LongAdder()).add(n));
        cleanedInTx.clear();
    }

    /** The transaction rolled back: forget what it created. */
    void rolledBack() {
        for (String signature : stagesCreatedInTx) {
            stages.remove(signature);
        }
        stagesCreatedInTx.clear();
        cleanedInTx.clear(); // those values were never stored
        dirty.clear(); // what was loaded is rolled back
        closeStatements();
        physical.clear();
    }

    /** Results of a query as a list of strings from its first column (for small reads on the hot path). */
    static List<String> strings(ResultSet rs) throws SQLException {
        List<String> out = new ArrayList<>();
        while (rs.next()) {
            out.add(rs.getString(1));
        }
        return out;
    }

    private void closeStatements() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // a statement of a broken session: nothing to release
            }
        }
        statements.clear();
    }

    @Override
    public void close() {
        closeStatements();
    }
}
