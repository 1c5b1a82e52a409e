package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnSchema;
import dev.clarisync.schema.ColumnType;
import dev.clarisync.schema.SchemaChange;
import dev.clarisync.schema.SchemaModel;
import dev.clarisync.schema.TableSchema;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a warehouse written before the schema contract (tables shaped by the first values seen) to the declared
 * schema, in place, at start, in one transaction, each step logged in {@code _schema_changes}:
 * <ul>
 *   <li>a BIGINT column the contract declares DOUBLE becomes DOUBLE (values kept exactly);</li>
 *   <li>a JSON text column holding an array the contract declares as a child table is dropped when it holds
 *       nothing but {@code []} and nulls (change {@code drop_column}); the child table takes over;</li>
 *   <li>declared tables and columns that are missing are created.</li>
 * </ul>
 * What cannot be migrated safely (a JSON column holding non-empty arrays, a BIGINT with integers beyond 2^53) is
 * left as it is, losing nothing, with one warning naming the table and pointing to README "Rebuilding a table from
 * the API". Runs only for streams the warehouse already holds; a no-op once the warehouse conforms.
 */
final class SchemaMigration {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);

    private SchemaMigration() {
    }

    /** Migrates {@code w} if it needs it; throws {@link WarehouseException} (nothing changed) if the migration fails. */
    static void migrate(Warehouse w) {
        List<String> unsafe = new ArrayList<>();
        List<String> done = w.inTransaction(tx -> {
            SchemaModel model = w.model();
            Dialect d = w.dialect();
            List<String> steps = new ArrayList<>();
            Instant now = w.now();
            List<SchemaModel.TableColumn> jsonColumns = model.columnsDeclaredAsChildTables();
            List<SchemaChange> changes = model.conform((t, c) -> fitsDouble(w, t, c), unsafe::add);
            List<SchemaModel.TableColumn> droppable = new ArrayList<>();
            for (SchemaModel.TableColumn tc : jsonColumns) {
                long nonEmpty = w.countOf(d.countNonEmptyJsonArrays(w.table(tc.table().name()), d.quote(tc.column().name())));
                if (nonEmpty == 0) {
                    droppable.add(tc);
                } else {
                    unsafe.add(tc.table().name() + "." + tc.column().name() + " holds " + nonEmpty + " non-empty arrays as JSON text where"
                            + " the API declares rows of a child table: kept as it is");
                }
            }
            boolean altering = !droppable.isEmpty() || changes.stream().anyMatch(c -> c.kind() == SchemaChange.Kind.WIDEN);
            if (altering) {
                w.runBeforeTypeChange();
                dropDependentViews(w, droppable, changes);
            }
            for (SchemaModel.TableColumn tc : droppable) {
                TableSchema t = tc.table();
                ColumnSchema c = tc.column();
                w.execute(d.dropColumn(w.table(t.name()), d.quote(c.name())));
                w.update(d.delete(w.table(BookkeepingTables.SCHEMA_COLUMNS), "table_name", "column_name"), t.name(), c.name());
                w.update(d.insert(w.table(BookkeepingTables.SCHEMA_CHANGES), "changed_at", "table_name", "column_name", "change", "column_type",
                        "source_path", "previous_type"), now, t.name(), c.name(), "drop_column", null, c.sourcePath(), c.type().name());
                model.dropColumn(t, c.sourcePath());
                steps.add("dropped " + t.name() + "." + c.name() + " (only [] and nulls; the child table holds the rows)");
            }
            w.schemaWriter().apply(model, changes); // exactly as a write applies them
            for (SchemaChange c : changes) {
                steps.add(c.kind().label() + " " + c.table() + (c.column() == null ? "" : "." + c.column())
                        + (c.previousType() == null ? "" : " " + c.previousType() + " -> " + c.type()));
            }
            return steps;
        });
        if (!done.isEmpty()) {
            LOG.info("schema migration to the declared schema: {} step(s), recorded in _schema_changes: {}", done.size(),
                    done.size() <= 6 ? String.join("; ", done) : String.join("; ", done.subList(0, 5)) + "; ...");
        }
        for (String u : unsafe) {
            LOG.warn("schema migration: {}; nothing lost. To have the declared shape, rebuild the table from the API"
                    + " (docs/warehouse.md, 'Rebuilding a table from the API')", u);
        }
    }

    /**
     * Where the database will not drop or retype a column a view reads (PostgreSQL), drop those views (CASCADE)
     * first. The connector's own analytics views are recreated at the end of the next sync; the names are logged.
     */
    private static void dropDependentViews(Warehouse w, List<SchemaModel.TableColumn> dropped, List<SchemaChange> changes)
            throws SQLException {
        String viewsReading = w.dialect().viewsReadingColumn();
        if (viewsReading == null) {
            return;
        }
        Set<String> views = new LinkedHashSet<>();
        List<String[]> columns = new ArrayList<>();
        dropped.forEach(tc -> columns.add(new String[] {tc.table().name(), tc.column().name()}));
        changes.stream().filter(c -> c.kind() == SchemaChange.Kind.WIDEN).forEach(c -> columns.add(new String[] {c.table(), c.column()}));
        for (String[] tc : columns) {
            for (Map<String, Object> row : w.query(viewsReading, w.schema(), tc[0], tc[1])) {
                views.add((String) row.get("view_name"));
            }
        }
        for (String v : views) {
            w.execute(w.dialect().dropViewCascade(w.table(v)));
        }
        if (!views.isEmpty()) {
            LOG.info("schema migration: dropped views that read changed columns (the analytics views return after the next sync): {}",
                    views);
        }
    }

    /** Whether every stored value of a BIGINT column is exact as a DOUBLE (checked before widening it). */
    static boolean fitsDouble(Warehouse w, TableSchema table, ColumnSchema column) {
        try {
            return w.countOf(w.dialect().countOutside(w.table(table.name()), w.dialect().quote(column.name())),
                    ColumnType.EXACT_DOUBLE_LIMIT, -ColumnType.EXACT_DOUBLE_LIMIT) == 0;
        } catch (SQLException e) {
            throw new WarehouseException("cannot inspect " + table.name() + "." + column.name() + ": "
                    + Secrets.oneLine(e.getMessage(), null), e);
        }
    }
}
