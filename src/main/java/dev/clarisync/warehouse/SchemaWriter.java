package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnSchema;
import dev.clarisync.schema.ColumnType;
import dev.clarisync.schema.SchemaChange;
import dev.clarisync.schema.SchemaModel;
import dev.clarisync.schema.TableSchema;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies schema changes (new tables, new columns, widened types) with their bookkeeping: the name mapping in
 * {@code _schema_tables}/{@code _schema_columns} and the log {@code _schema_changes}. One path for a write that
 * meets a new field and for the {@link SchemaMigration}; always inside the warehouse's transaction in progress.
 */
final class SchemaWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaWriter.class);
    private static final List<ColumnSchema> SCHEMA_CHANGE_COLUMNS = List.of(
            new ColumnSchema("changed_at", ColumnType.TIMESTAMP, null), new ColumnSchema("table_name", ColumnType.VARCHAR, null),
            new ColumnSchema("column_name", ColumnType.VARCHAR, null), new ColumnSchema("change", ColumnType.VARCHAR, null),
            new ColumnSchema("column_type", ColumnType.VARCHAR, null), new ColumnSchema("source_path", ColumnType.VARCHAR, null),
            new ColumnSchema("previous_type", ColumnType.VARCHAR, null));
    private static final List<ColumnSchema> SCHEMA_TABLE_COLUMNS = List.of(
            new ColumnSchema("table_name", ColumnType.VARCHAR, null), new ColumnSchema("stream", ColumnType.VARCHAR, null),
            new ColumnSchema("parent_table", ColumnType.VARCHAR, null), new ColumnSchema("source_path", ColumnType.VARCHAR, null),
            new ColumnSchema("created_at", ColumnType.TIMESTAMP, null));
    private static final List<ColumnSchema> SCHEMA_COLUMN_COLUMNS = List.of(
            new ColumnSchema("table_name", ColumnType.VARCHAR, null), new ColumnSchema("column_name", ColumnType.VARCHAR, null),
            new ColumnSchema("source_path", ColumnType.VARCHAR, null), new ColumnSchema("column_type", ColumnType.VARCHAR, null),
            new ColumnSchema("ordinal", ColumnType.BIGINT, null));

    private final Warehouse w;

    SchemaWriter(Warehouse w) {
        this.w = w;
    }

    /** Applies schema changes inside the transaction in progress: DDL, the name mapping, each change logged in {@code _schema_changes}. */
    void apply(SchemaModel model, List<SchemaChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        Dialect d = w.dialect();
        Instant now = w.now();
        Set<String> created = new HashSet<>();
        List<Object[]> tableRows = new ArrayList<>();
        List<Object[]> columnRows = new ArrayList<>();
        try {
            for (SchemaChange change : changes) {
                TableSchema table = model.tableNamed(change.table());
                switch (change.kind()) {
                    case CREATE_TABLE -> {
                        // a new table gets its first columns in the CREATE statement rather than one ALTER each
                        createTable(table, changes.stream().filter(c -> c.kind() == SchemaChange.Kind.ADD_COLUMN
                                && c.table().equals(change.table())).toList());
                        created.add(table.name());
                        TableSchema parent = table.isRoot() ? null : model.table(table.parentPath());
                        tableRows.add(new Object[] {table.name(), table.stream(), parent == null ? null : parent.name(), table.path(), now});
                    }
                    case ADD_COLUMN -> {
                        if (!created.contains(table.name())) {
                            w.execute(d.addColumn(w.table(table.name()), d.quote(change.column()), change.type()));
                        }
                        columnRows.add(new Object[] {table.name(), change.column(), change.sourcePath(), change.type().name(),
                                (long) ordinal(table, change.column())});
                    }
                    case WIDEN -> {
                        if (!d.sqlType(change.type()).equals(d.sqlType(change.previousType()))) {
                            String c = d.quote(change.column());
                            String using = change.type() == ColumnType.VARCHAR ? d.toText(c, change.previousType())
                                    : "CAST(" + c + " AS " + d.sqlType(change.type()) + ")";
                            w.runBeforeTypeChange();
                            w.execute(d.alterType(w.table(table.name()), c, change.type(), using));
                            w.history().widen(table, c, change.type(), using);
                        }
                        w.update(d.update(w.table(BookkeepingTables.SCHEMA_COLUMNS), List.of("column_type"), "table_name", "column_name"),
                                change.type().name(), table.name(), change.column());
                    }
                }
                LOG.debug("Schema change: {} {}{}{}", change.kind().label(), change.table(),
                        change.column() == null ? "" : "." + change.column(),
                        change.type() == null ? "" : " " + (change.previousType() == null ? "" : change.previousType() + " -> ") + change.type());
            }
        } finally {
            w.writes().schemaChanged();
        }
        // the name mapping, one bulk write per bookkeeping table (new keys: a table or column is created once)
        w.append(BookkeepingTables.SCHEMA_TABLES, SCHEMA_TABLE_COLUMNS, tableRows);
        w.append(BookkeepingTables.SCHEMA_COLUMNS, SCHEMA_COLUMN_COLUMNS, columnRows);
        logChanges(changes, now);
        // one line per batch: a first run creates dozens of columns, a later new field shows up by name
        Map<String, List<String>> byKind = new TreeMap<>();
        for (SchemaChange c : changes) {
            byKind.computeIfAbsent(c.kind().label(), k -> new ArrayList<>())
                    .add(c.table() + (c.column() == null ? "" : "." + c.column()));
        }
        StringBuilder line = new StringBuilder();
        byKind.forEach((kind, items) -> line.append(line.length() == 0 ? "" : "; ").append(kind).append(' ')
                .append(items.size() <= 5 ? String.join(", ", items) : items.size() + " (" + String.join(", ", items.subList(0, 3)) + ", ...)"));
        LOG.info("schema: {} (recorded in _schema_changes)", line);
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
        List<ColumnSchema> first = initialColumns.stream().map(c -> new ColumnSchema(c.column(), c.type(), null)).toList();
        for (String sql : w.dialect().createDataTable(w.table(table.name()), table.systemColumns(), first, table.isRoot())) {
            w.execute(sql);
        }
    }

    /** Adds the soft-delete flag ({@code _deleted}, BOOLEAN) to a root table, logged like any new column. */
    void addDeletedFlag(TableSchema root) throws SQLException {
        Dialect d = w.dialect();
        try {
            w.execute(d.addColumn(w.table(root.name()), d.quote(TableSchema.DELETED), ColumnType.BOOLEAN));
        } finally {
            w.writes().schemaChanged();
        }
        root.markHasDeletedFlag();
        logChanges(List.of(new SchemaChange(SchemaChange.Kind.ADD_COLUMN, root.name(), TableSchema.DELETED, ColumnType.BOOLEAN, null,
                null)), w.now());
    }

    /** Appends rows to {@code _schema_changes} (a log without a key: every change is a new row). */
    private void logChanges(List<SchemaChange> changes, Instant at) throws SQLException {
        List<Object[]> rows = new ArrayList<>(changes.size());
        for (SchemaChange c : changes) {
            rows.add(new Object[] {at, c.table(), c.column(), c.kind().label(), c.type() == null ? null : c.type().name(),
                    c.sourcePath(), c.previousType() == null ? null : c.previousType().name()});
        }
        w.append(BookkeepingTables.SCHEMA_CHANGES, SCHEMA_CHANGE_COLUMNS, rows);
    }
}
