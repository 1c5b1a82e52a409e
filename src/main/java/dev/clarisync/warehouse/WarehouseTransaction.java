package dev.clarisync.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.schema.ColumnSchema;
import dev.clarisync.schema.ColumnType;
import dev.clarisync.schema.FlatBatch;
import dev.clarisync.schema.FlatRow;
import dev.clarisync.schema.FlatTable;
import dev.clarisync.schema.Flattener;
import dev.clarisync.schema.SchemaChange;
import dev.clarisync.schema.SchemaModel;
import dev.clarisync.schema.TableSchema;
import dev.clarisync.schema.Value;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer behind {@link WarehouseTx}. Every write is set-based: a batch is loaded into a temporary stage table
 * (DuckDB appender, PostgreSQL COPY), then merged with one statement per table, so a page of 100 calls with
 * thousands of transcript rows costs a handful of statements, not one per row.
 */
final class WarehouseTransaction implements WarehouseTx {

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseTransaction.class);
    private static final String STAGE_PREFIX = "_clarisync_stage_";
    private static final List<ColumnSchema> ID_COLUMNS = List.of(new ColumnSchema("id", ColumnType.VARCHAR, null));
    private static final List<ColumnSchema> VERSION_COLUMNS = List.of(new ColumnSchema("id", ColumnType.VARCHAR, null),
            new ColumnSchema("version", ColumnType.VARCHAR, null));

    private final Warehouse w;
    private final Dialect d;
    private boolean active = true;
    private int stages;

    WarehouseTransaction(Warehouse warehouse) {
        this.w = warehouse;
        this.d = warehouse.dialect();
    }

    void end() {
        active = false;
    }

    private void check() {
        if (!active || !w.heldByCurrentThread()) {
            throw new IllegalStateException("this WarehouseTx is only valid inside its inTransaction call, on its thread");
        }
    }

    @Override
    public Connection connection() {
        check();
        return w.session();
    }

    // ---- upsert ----

    @Override
    public WriteCounts upsert(String stream, List<? extends JsonNode> records, Instant syncedAt) {
        check();
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(syncedAt, "syncedAt");
        if (stream.contains("/")) {
            throw new IllegalArgumentException("stream name must not contain '/': " + stream);
        }
        if (records.isEmpty()) {
            return WriteCounts.EMPTY;
        }
        try {
            SchemaModel model = w.model();
            FlatBatch batch = Flattener.flatten(stream, records, model::isChildTable);
            List<SchemaChange> changes = model.evolve(batch, this::fitsDouble);
            applySchemaChanges(model, changes);
            return write(model, batch, syncedAt);
        } catch (SQLException e) {
            throw new WarehouseException("writing " + records.size() + " " + stream + " records failed: "
                    + Secrets.oneLine(e.getMessage(), null), e);
        }
    }

    /** Whether every stored value of a BIGINT column is exact as a DOUBLE (checked before widening it). */
    private boolean fitsDouble(TableSchema table, ColumnSchema column) {
        String c = d.quote(column.name());
        try (PreparedStatement ps = w.session().prepareStatement("SELECT count(*) FROM " + w.table(table.name()) + " WHERE "
                + c + " > ? OR " + c + " < ?")) {
            ps.setLong(1, ColumnType.EXACT_DOUBLE_LIMIT);
            ps.setLong(2, -ColumnType.EXACT_DOUBLE_LIMIT);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 0;
            }
        } catch (SQLException e) {
            throw new WarehouseException("cannot inspect " + table.name() + "." + column.name() + ": " + e.getMessage(), e);
        }
    }

    private void applySchemaChanges(SchemaModel model, List<SchemaChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        Set<String> created = new java.util.HashSet<>();
        for (SchemaChange change : changes) {
            TableSchema table = model.tableNamed(change.table());
            switch (change.kind()) {
                case CREATE_TABLE -> {
                    // a new table gets its first columns in the CREATE statement rather than one ALTER each
                    createTable(table, changes.stream().filter(c -> c.kind() == SchemaChange.Kind.ADD_COLUMN
                            && c.table().equals(change.table())).toList());
                    created.add(table.name());
                    TableSchema parent = table.isRoot() ? null : model.table(table.parentPath());
                    w.update("INSERT INTO " + w.table(Warehouse.SCHEMA_TABLES) + " (" + cols("table_name", "stream",
                                    "parent_table", "source_path", "created_at") + ") VALUES (?, ?, ?, ?, ?)",
                            table.name(), table.stream(), parent == null ? null : parent.name(), table.path(), now);
                }
                case ADD_COLUMN -> {
                    if (!created.contains(table.name())) {
                        w.execute("ALTER TABLE " + w.table(table.name()) + " ADD COLUMN " + d.quote(change.column()) + " "
                                + d.sqlType(change.type()));
                    }
                    w.update("INSERT INTO " + w.table(Warehouse.SCHEMA_COLUMNS) + " (" + cols("table_name", "column_name",
                                    "source_path", "column_type", "ordinal") + ") VALUES (?, ?, ?, ?, ?)",
                            table.name(), change.column(), change.sourcePath(), change.type().name(),
                            (long) ordinal(table, change.column()));
                }
                case WIDEN -> {
                    if (!d.sqlType(change.type()).equals(d.sqlType(change.previousType()))) {
                        String c = d.quote(change.column());
                        String using = change.type() == ColumnType.VARCHAR ? d.toText(c, change.previousType())
                                : "CAST(" + c + " AS " + d.sqlType(change.type()) + ")";
                        w.execute(d.alterType(w.table(table.name()), c, change.type(), using));
                    }
                    w.update("UPDATE " + w.table(Warehouse.SCHEMA_COLUMNS) + " SET " + d.quote("column_type") + " = ? WHERE "
                            + d.quote("table_name") + " = ? AND " + d.quote("column_name") + " = ?",
                            change.type().name(), table.name(), change.column());
                }
            }
            LOG.debug("Schema change: {} {}{}{}", change.kind().label(), change.table(),
                    change.column() == null ? "" : "." + change.column(),
                    change.type() == null ? "" : " " + (change.previousType() == null ? "" : change.previousType() + " -> ") + change.type());
        }
        logChanges(changes, now);
        // one line per batch: a first run creates dozens of columns, a later new field shows up by name
        java.util.Map<String, java.util.List<String>> byKind = new java.util.TreeMap<>();
        for (SchemaChange c : changes) {
            byKind.computeIfAbsent(c.kind().label(), k -> new java.util.ArrayList<>())
                    .add(c.table() + (c.column() == null ? "" : "." + c.column()));
        }
        if (!changes.isEmpty()) {
            StringBuilder line = new StringBuilder();
            byKind.forEach((kind, items) -> line.append(line.length() == 0 ? "" : "; ").append(kind).append(' ')
                    .append(items.size() <= 5 ? String.join(", ", items) : items.size() + " (" + String.join(", ", items.subList(0, 3)) + ", ...)"));
            LOG.info("schema: {} (recorded in _schema_changes)", line);
        }
    }

    private static int ordinal(TableSchema table, String column) {
        int i = 0;
        for (ColumnSchema c : table.columns()) {
            if (c.name().equals(column)) {
                return i;
            }
            i++;
        }
        throw new IllegalStateException(column + " is not a column of " + table.name());
    }

    private void createTable(TableSchema table, List<SchemaChange> initialColumns) throws SQLException {
        StringBuilder ddl = new StringBuilder();
        for (ColumnSchema c : table.systemColumns()) {
            ddl.append(ddl.length() == 0 ? "" : ", ").append(d.quote(c.name())).append(' ').append(d.sqlType(c.type()))
                    .append(" NOT NULL");
        }
        for (SchemaChange c : initialColumns) {
            ddl.append(", ").append(d.quote(c.column())).append(' ').append(d.sqlType(c.type()));
        }
        ddl.append(table.isRoot() ? ", PRIMARY KEY (" + d.quote(TableSchema.ID) + ")"
                : ", PRIMARY KEY (" + d.quote(TableSchema.PARENT_ID) + ", " + d.quote(TableSchema.IDX) + ")");
        String name = w.table(table.name());
        w.execute("CREATE TABLE " + name + " (" + ddl + ")");
        if (!table.isRoot()) {
            for (String sql : d.childTableIndexes(name, d.quote(TableSchema.ROOT_ID))) {
                w.execute(sql);
            }
        }
    }

    private void logChanges(List<SchemaChange> changes, Instant at) throws SQLException {
        try (PreparedStatement ps = w.session().prepareStatement("INSERT INTO " + w.table(Warehouse.SCHEMA_CHANGES) + " ("
                + cols("changed_at", "table_name", "column_name", "change", "column_type", "source_path", "previous_type")
                + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (SchemaChange c : changes) {
                d.bind(ps, 1, at);
                ps.setString(2, c.table());
                ps.setString(3, c.column());
                ps.setString(4, c.kind().label());
                ps.setString(5, c.type() == null ? null : c.type().name());
                ps.setString(6, c.sourcePath());
                ps.setString(7, c.previousType() == null ? null : c.previousType().name());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private WriteCounts write(SchemaModel model, FlatBatch batch, Instant syncedAt) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        TableSchema root = model.table(batch.stream());
        Staged rootStage = stage(root, batch.root(), syncedAt);
        try {
            mergeRoot(root, rootStage);
            counts.put(root.name(), (long) batch.root().rows().size());
            // replace children: every child table of the stream, also those this batch has no rows for
            for (TableSchema child : model.childTables(batch.stream())) {
                w.execute("DELETE FROM " + w.table(child.name()) + " WHERE " + d.quote(TableSchema.ROOT_ID) + " IN (SELECT "
                        + d.quote(TableSchema.ID) + " FROM " + d.quote(rootStage.name) + ")");
            }
            for (FlatTable flat : batch.tables()) {
                if (flat.isRoot() || flat.rows().isEmpty()) {
                    continue;
                }
                TableSchema child = model.table(flat.path());
                Staged staged = stage(child, flat, syncedAt);
                try {
                    String cols = staged.columnList(d);
                    w.execute("INSERT INTO " + w.table(child.name()) + " (" + cols + ") SELECT " + cols + " FROM "
                            + d.quote(staged.name));
                } finally {
                    drop(staged.name);
                }
                counts.put(child.name(), (long) flat.rows().size());
            }
        } finally {
            drop(rootStage.name);
        }
        return new WriteCounts(counts);
    }

    private void mergeRoot(TableSchema root, Staged stage) throws SQLException {
        String target = w.table(root.name());
        String cols = stage.columnList(d);
        String id = d.quote(TableSchema.ID);
        if (!d.supportsOnConflict()) {
            w.execute("DELETE FROM " + target + " WHERE " + id + " IN (SELECT " + id + " FROM " + d.quote(stage.name) + ")");
            w.execute("INSERT INTO " + target + " (" + cols + ") SELECT " + cols + " FROM " + d.quote(stage.name));
            return;
        }
        Set<String> staged = stage.columns.stream().map(ColumnSchema::name).collect(Collectors.toSet());
        StringBuilder set = new StringBuilder();
        for (ColumnSchema c : root.allColumns()) {
            if (c.name().equals(TableSchema.ID)) {
                continue;
            }
            String qc = d.quote(c.name());
            // exactly the new record's values: a column it does not have becomes NULL
            set.append(set.length() == 0 ? "" : ", ").append(qc).append(" = ")
                    .append(staged.contains(c.name()) ? "excluded." + qc : "NULL");
        }
        w.execute("INSERT INTO " + target + " (" + cols + ") SELECT " + cols + " FROM " + d.quote(stage.name)
                + " ON CONFLICT (" + id + ") DO UPDATE SET " + set);
    }

    /** A stage table and its columns, in load order. */
    private record Staged(String name, List<ColumnSchema> columns) {
        String columnList(Dialect d) {
            return columns.stream().map(c -> d.quote(c.name())).collect(Collectors.joining(", "));
        }
    }

    /** Stages one table's rows: system columns plus exactly the data columns this batch has values for. */
    private Staged stage(TableSchema table, FlatTable flat, Instant syncedAt) throws SQLException {
        Set<String> present = new LinkedHashSet<>();
        for (FlatRow row : flat.rows()) {
            present.addAll(row.values().keySet());
        }
        List<ColumnSchema> system = table.isRoot()
                ? table.systemColumns().subList(0, 2) // id, _synced_at (never _deleted: a re-written row is not deleted)
                : table.systemColumns();
        List<ColumnSchema> data = new ArrayList<>();
        for (ColumnSchema c : table.columns()) {
            if (present.contains(c.sourcePath())) {
                data.add(c);
            }
        }
        List<ColumnSchema> columns = new ArrayList<>(system);
        columns.addAll(data);
        List<Object[]> rows = new ArrayList<>(flat.rows().size());
        for (FlatRow row : flat.rows()) {
            Object[] values = new Object[columns.size()];
            int i = 0;
            if (table.isRoot()) {
                values[i++] = row.id();
                values[i++] = syncedAt;
            } else {
                values[i++] = row.rootId();
                values[i++] = row.parentId();
                values[i++] = row.idx();
                values[i++] = syncedAt;
            }
            for (ColumnSchema c : data) {
                Value v = row.get(c.sourcePath());
                values[i++] = v == null ? null : v.as(c.type());
            }
            rows.add(values);
        }
        return new Staged(createStage(columns, rows), columns);
    }

    private String createStage(List<ColumnSchema> columns, List<Object[]> rows) throws SQLException {
        String name = STAGE_PREFIX + (++stages);
        String defs = columns.stream().map(c -> d.quote(c.name()) + " " + d.sqlType(c.type())).collect(Collectors.joining(", "));
        w.execute(d.createStage(name, defs));
        d.load(w.session(), name, columns, rows);
        return name;
    }

    private void drop(String stage) throws SQLException {
        w.execute("DROP TABLE IF EXISTS " + d.quote(stage));
    }

    private String cols(String... names) {
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            b.append(b.length() == 0 ? "" : ", ").append(d.quote(n));
        }
        return b.toString();
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
            try {
                String id = d.quote(TableSchema.ID);
                String notKept = " WHERE NOT EXISTS (SELECT 1 FROM " + d.quote(keep) + " k WHERE k." + id + " = ";
                for (TableSchema child : w.model().childTables(stream)) {
                    w.update("DELETE FROM " + w.table(child.name()) + " AS t" + notKept + "t." + d.quote(TableSchema.ROOT_ID) + ")");
                }
                return w.update("DELETE FROM " + w.table(root.name()) + " AS t" + notKept + "t." + id + ")");
            } finally {
                drop(keep);
            }
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
                w.execute("ALTER TABLE " + w.table(root.name()) + " ADD COLUMN " + d.quote(TableSchema.DELETED) + " "
                        + d.sqlType(ColumnType.BOOLEAN));
                root.markHasDeletedFlag();
                logChanges(List.of(new SchemaChange(SchemaChange.Kind.ADD_COLUMN, root.name(), TableSchema.DELETED,
                        ColumnType.BOOLEAN, null, null)), Instant.now());
            }
            String staged = stageIds(ids);
            try {
                String id = d.quote(TableSchema.ID);
                return w.update("UPDATE " + w.table(root.name()) + " SET " + d.quote(TableSchema.DELETED) + " = TRUE WHERE "
                        + id + " IN (SELECT " + id + " FROM " + d.quote(staged) + ")");
            } finally {
                drop(staged);
            }
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
        return createStage(ID_COLUMNS, rows);
    }

    // ---- bookkeeping ----

    @Override
    public void putState(String stream, String key, String value) {
        check();
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(key, "key");
        try {
            String table = w.table(Warehouse.SYNC_STATE);
            String where = " WHERE " + d.quote("stream") + " = ? AND " + d.quote("key") + " = ?";
            if (value == null) {
                w.update("DELETE FROM " + table + where, stream, key);
            } else if (w.update("UPDATE " + table + " SET " + d.quote("value") + " = ?, " + d.quote("updated_at") + " = ?"
                    + where, value, Instant.now(), stream, key) == 0) {
                w.update("INSERT INTO " + table + " (" + cols("stream", "key", "value", "updated_at") + ") VALUES (?, ?, ?, ?)",
                        stream, key, value, Instant.now());
            }
        } catch (SQLException e) {
            throw new WarehouseException("saving sync state failed: " + Secrets.oneLine(e.getMessage(), null), e);
        }
    }

    @Override
    public void markProcessed(String scope, Map<String, String> idToVersion) {
        check();
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(idToVersion, "idToVersion");
        if (idToVersion.isEmpty()) {
            return;
        }
        try {
            List<Object[]> rows = new ArrayList<>(idToVersion.size());
            idToVersion.forEach((id, version) -> rows.add(new Object[] {Objects.requireNonNull(id, "id"), version}));
            String staged = createStage(VERSION_COLUMNS, rows);
            try {
                String target = w.table(Warehouse.PROCESSED);
                String sel = " SELECT ?, s." + d.quote("id") + ", s." + d.quote("version") + ", ? FROM " + d.quote(staged) + " s";
                String insert = "INSERT INTO " + target + " (" + cols("scope", "id", "version", "processed_at") + ")" + sel;
                Instant now = Instant.now();
                if (d.supportsOnConflict()) {
                    w.update(insert + " ON CONFLICT (" + cols("scope", "id") + ") DO UPDATE SET " + d.quote("version")
                            + " = excluded." + d.quote("version") + ", " + d.quote("processed_at") + " = excluded."
                            + d.quote("processed_at"), scope, now);
                } else {
                    w.update("DELETE FROM " + target + " WHERE " + d.quote("scope") + " = ? AND " + d.quote("id") + " IN (SELECT "
                            + d.quote("id") + " FROM " + d.quote(staged) + ")", scope);
                    w.update(insert, scope, now);
                }
            } finally {
                drop(staged);
            }
        } catch (SQLException e) {
            throw new WarehouseException("saving processed versions failed: " + Secrets.oneLine(e.getMessage(), null), e);
        }
    }
}
