package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnSchema;
import dev.clarisync.schema.ColumnType;
import dev.clarisync.schema.FlatBatch;
import dev.clarisync.schema.FlatRow;
import dev.clarisync.schema.FlatTable;
import dev.clarisync.schema.SchemaChange;
import dev.clarisync.schema.SchemaModel;
import dev.clarisync.schema.TableSchema;
import dev.clarisync.schema.Value;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The writer behind {@link WarehouseTx}. Every write is set-based and costs a few round trips per page, not one
 * per row or per table:
 * <ul>
 *   <li>Rows whose key the table cannot hold yet (the common case: a backfill, new calls) are bulk-appended
 *       straight into their tables (DuckDB appender, PostgreSQL COPY), child tables included: a key never written
 *       has no child rows to replace.</li>
 *   <li>When some keys may exist, the root rows go through a stage table and one {@code INSERT ... ON CONFLICT}
 *       (delete + insert where unsupported), the stream's child rows of those ids are deleted in every child table,
 *       and the new child rows are appended.</li>
 *   <li>Whether a key may exist is known without a query on DuckDB, where this session is the only writer
 *       ({@link KeyFilter}), asked with one indexed query on PostgreSQL, and assumed elsewhere.</li>
 *   <li>Stage tables and the hot-path statements are created once per session and reused ({@link WriteSession}).</li>
 * </ul>
 */
final class WarehouseTransaction implements WarehouseTx {

    private static final List<ColumnSchema> ID_COLUMNS = List.of(new ColumnSchema("id", ColumnType.VARCHAR, null));
    private final Warehouse w;
    private final Dialect d;
    private final WriteSession session;
    private boolean active = true;
    private final List<Runnable> undos = new ArrayList<>(1);

    WarehouseTransaction(Warehouse warehouse) {
        this.w = warehouse;
        this.d = warehouse.dialect();
        this.session = warehouse.writes();
    }

    void end() {
        active = false;
    }

    @Override
    public void onRollback(Runnable undo) {
        check();
        undos.add(Objects.requireNonNull(undo, "undo"));
    }

    /** Called once the transaction has rolled back. */
    void rolledBack() {
        undos.forEach(Runnable::run);
    }

    private void check() {
        if (!active || !w.heldByCurrentThread()) {
            throw new IllegalStateException("this WarehouseTx is only valid inside its inTransaction call, on its thread");
        }
    }

    /** The transaction's connection, for bookkeeping SQL of this package that must commit with the data. */
    Connection connection() {
        check();
        return w.session();
    }

    /**
     * A prepared statement for bookkeeping SQL of this package, kept by the warehouse and handed out again (parameters
     * cleared) to later transactions asking for the same SQL text. Use it within this transaction only; do not close it.
     */
    PreparedStatement prepared(String sql) {
        check();
        Objects.requireNonNull(sql, "sql");
        try {
            return session.prepared(sql);
        } catch (SQLException e) {
            throw new WarehouseException("cannot prepare bookkeeping SQL: " + Secrets.oneLine(e.getMessage(), null), e);
        }
    }

    @Override
    public void appendRows(String table, List<ColumnSchema> columns, List<Object[]> rows) {
        check();
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(columns, "columns");
        Objects.requireNonNull(rows, "rows");
        try {
            appendTo(table, columns, rows);
        } catch (SQLException e) {
            throw new WarehouseException("appending " + rows.size() + " rows to " + table + " failed: "
                    + Secrets.oneLine(e.getMessage(), null), e);
        }
    }

    @Override
    public void upsertRows(String table, List<String> keyColumns, List<ColumnSchema> columns, List<Object[]> rows) {
        check();
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(columns, "columns");
        Objects.requireNonNull(rows, "rows");
        if (keyColumns.isEmpty() || !columns.stream().map(ColumnSchema::name).toList().containsAll(keyColumns)) {
            throw new IllegalArgumentException("key columns " + keyColumns + " must be among the columns " + columns);
        }
        if (rows.isEmpty()) {
            return;
        }
        try {
            String stage = session.loadStage(table, columns, rows);
            // the row is replaced, as delete + insert would: columns not given become NULL
            List<String> names = columns.stream().map(ColumnSchema::name).toList();
            for (String sql : d.merge(w.table(table), session.physicalColumns(table, w::physicalColumns), names, keyColumns,
                    d.select(d.quote(stage), names))) {
                session.update(sql);
            }
            session.clearStage(stage);
        } catch (SQLException e) {
            throw new WarehouseException("upserting " + rows.size() + " rows into " + table + " failed: "
                    + Secrets.oneLine(e.getMessage(), null), e);
        }
    }

    // ---- upsert ----

    @Override
    public WriteCounts upsert(FlatBatch batch, Instant syncedAt) {
        check();
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(syncedAt, "syncedAt");
        if (batch.root().rows().isEmpty()) {
            return WriteCounts.EMPTY;
        }
        try {
            SchemaModel model = w.model();
            List<SchemaChange> changes = model.evolve(batch, (t, c) -> SchemaMigration.fitsDouble(w, t, c));
            w.schemaWriter().apply(model, changes);
            w.history().ensure(model.table(batch.stream())); // before the rows change: a first seed holds them as they were
            return write(model, batch, syncedAt);
        } catch (SQLException e) {
            throw new WarehouseException("writing " + batch.records() + " " + batch.stream() + " records failed: "
                    + Secrets.oneLine(e.getMessage(), null), e);
        }
    }

    /** Bulk-appends rows with new keys to a table of this warehouse. */
    private void appendTo(String table, List<ColumnSchema> columns, List<Object[]> rows) throws SQLException {
        w.append(table, columns, rows);
    }

    private WriteCounts write(SchemaModel model, FlatBatch batch, Instant syncedAt) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        TableSchema root = model.table(batch.stream());
        Rows rootRows = rows(root, batch.root(), syncedAt);
        List<String> ids = batch.ids();
        if (mayHoldAny(root, ids)) {
            // some ids may be there: upsert the root rows and clear the ids' child rows in every child table
            String stage = session.loadStage(root.name(), rootRows.columns, rootRows.values);
            mergeRoot(root, stage, rootRows.columns);
            for (TableSchema child : model.childTables(batch.stream())) {
                session.update(d.deleteInStage(w.table(child.name()), TableSchema.ROOT_ID, stage, TableSchema.ID));
            }
            session.clearStage(stage);
        } else {
            appendTo(root.name(), rootRows.columns, rootRows.values);
        }
        remember(root, ids);
        if (w.history().keeps(root)) {
            String written = stageIds(ids);
            w.history().record(root, written, syncedAt);
            session.clearStage(written);
        }
        counts.put(root.name(), (long) batch.root().rows().size());
        // the ids have no child rows now: append the batch's
        for (FlatTable flat : batch.tables()) {
            if (flat.isRoot() || flat.rows().isEmpty()) {
                continue;
            }
            TableSchema child = model.table(flat.path());
            Rows childRows = rows(child, flat, syncedAt);
            appendTo(child.name(), childRows.columns, childRows.values);
            counts.put(child.name(), (long) flat.rows().size());
        }
        return new WriteCounts(counts);
    }

    /** Whether any of these ids may be in the root table already (false only when certainly none is). */
    private boolean mayHoldAny(TableSchema root, List<String> ids) throws SQLException {
        return d.keyPresence().mayHoldAny(rootKeys(root), ids);
    }

    /** Notes the ids as (possibly) present in the root table. */
    private void remember(TableSchema root, List<String> ids) throws SQLException {
        d.keyPresence().remember(rootKeys(root), ids);
    }

    /** The root table's ids, as the dialect's {@link KeyPresence} asks about them. */
    private KeyPresence.Probe rootKeys(TableSchema root) {
        return new KeyPresence.Probe() {
            @Override
            public KeyFilter filter() throws SQLException {
                return session.filter(root.name(), f -> {
                    try (Statement s = w.session().createStatement();
                         ResultSet rs = s.executeQuery(d.select(w.table(root.name()), List.of(TableSchema.ID)))) {
                        while (rs.next()) {
                            f.add(rs.getString(1));
                        }
                    }
                });
            }

            @Override
            public boolean anyPresent(Collection<String> ids) throws SQLException {
                PreparedStatement ps = session.prepared(d.anyKeyPresent(w.table(root.name()), TableSchema.ID));
                ps.setArray(1, w.session().createArrayOf("text", ids.stream().map(d.textRule()::clean).toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        };
    }

    private void mergeRoot(TableSchema root, String stage, List<ColumnSchema> columns) throws SQLException {
        // exactly the new record's values: staged NULLs for the fields it lacks, NULL for _deleted
        List<String> all = root.allColumns().stream().map(ColumnSchema::name).toList();
        List<String> names = columns.stream().map(ColumnSchema::name).toList();
        for (String sql : d.merge(w.table(root.name()), all, names, List.of(TableSchema.ID), d.select(d.quote(stage), names))) {
            session.update(sql);
        }
    }


    /** One table's rows of a batch, ready to load: columns in load order and one value array per row. */
    private record Rows(List<ColumnSchema> columns, List<Object[]> values) {
    }

    /**
     * A table's rows: system columns and every data column, NULL where a record has no value. A rewritten row gets
     * exactly its record's values (a column the record lacks becomes NULL), and a table has one column set, so one
     * stage and one statement text, until its schema changes.
     */
    private static Rows rows(TableSchema table, FlatTable flat, Instant syncedAt) {
        List<ColumnSchema> system = table.isRoot()
                ? table.systemColumns().subList(0, 2) // id, _synced_at (never _deleted: a re-written row is not deleted)
                : table.systemColumns();
        List<ColumnSchema> data = new ArrayList<>(table.columns());
        List<ColumnSchema> columns = new ArrayList<>(system);
        columns.addAll(data);
        List<Object[]> values = new ArrayList<>(flat.rows().size());
        for (FlatRow row : flat.rows()) {
            Object[] v = new Object[columns.size()];
            int i = 0;
            if (table.isRoot()) {
                v[i++] = row.id();
                v[i++] = syncedAt;
            } else {
                v[i++] = row.rootId();
                v[i++] = row.parentId();
                v[i++] = row.idx();
                v[i++] = syncedAt;
            }
            for (ColumnSchema c : data) {
                Value value = row.get(c.sourcePath());
                v[i++] = value == null ? null : value.as(c.type());
            }
            values.add(v);
        }
        return new Rows(columns, values);
    }

    // ---- full refresh and soft deletes ----

    @Override
    public int deleteAllExcept(String stream, Set<String> keepIds) {
        check();
        Objects.requireNonNull(keepIds, "keepIds");
        try {
            TableSchema root = w.model().table(stream);
            if (root == null) {
                return 0;
            }
            String keep = stageIds(keepIds);
            for (TableSchema child : w.model().childTables(stream)) {
                w.update(d.deleteNotInStage(w.table(child.name()), TableSchema.ROOT_ID, keep, TableSchema.ID));
            }
            int deleted = w.update(d.deleteNotInStage(w.table(root.name()), TableSchema.ID, keep, TableSchema.ID));
            w.history().close(root, keep, true, w.now());
            session.clearStage(keep);
            return deleted;
        } catch (SQLException e) {
            throw new WarehouseException("full refresh of " + stream + " failed: " + Secrets.oneLine(e.getMessage(), null), e);
        }
    }

    @Override
    public int markDeleted(String stream, Collection<String> ids) {
        check();
        Objects.requireNonNull(ids, "ids");
        try {
            TableSchema root = w.model().table(stream);
            if (root == null || ids.isEmpty()) {
                return 0;
            }
            if (!root.hasDeletedFlag()) {
                w.schemaWriter().addDeletedFlag(root);
            }
            String staged = stageIds(ids);
            int flagged = w.update(d.flagInStage(w.table(root.name()), TableSchema.DELETED, TableSchema.ID, staged));
            w.history().close(root, staged, false, w.now());
            session.clearStage(staged);
            return flagged;
        } catch (SQLException e) {
            throw new WarehouseException("marking " + stream + " rows deleted failed: " + Secrets.oneLine(e.getMessage(), null), e);
        }
    }

    private String stageIds(Collection<String> ids) throws SQLException {
        List<Object[]> rows = new ArrayList<>(ids.size());
        for (String id : new LinkedHashSet<>(ids)) {
            if (id != null) {
                rows.add(new Object[] {id});
            }
        }
        return session.loadStage(ID_COLUMNS, rows);
    }

    // ---- bookkeeping ----

    @Override
    public void putState(String stream, String key, String value) {
        check();
        try {
            w.state().put(session, stream, key, value);
        } catch (SQLException e) {
            throw new WarehouseException("saving sync state failed: " + Secrets.oneLine(e.getMessage(), null), e);
        }
    }

    @Override
    public void markProcessed(String scope, Map<String, String> idToVersion) {
        check();
        try {
            w.processed().mark(session, scope, idToVersion);
        } catch (SQLException e) {
            throw new WarehouseException("saving processed versions failed: " + Secrets.oneLine(e.getMessage(), null), e);
        }
    }
}
