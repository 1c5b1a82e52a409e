package dev.clarisync.schema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse's knowledge of its data tables, and the schema-evolution rule. Pure and in memory: the
 * warehouse restores it from its bookkeeping tables, lets {@link #evolve} decide what a batch needs, applies
 * the returned changes in the same transaction as the data, and reloads it after a rollback.
 *
 * <p>The {@link DeclaredSchema} comes first: at a stream's first batch every declared table and column of the
 * stream is created with its declared type, whether or not the batch has values for it, and an array declared
 * as a child table is a child table even when every value seen is {@code []}. Only undeclared fields are inferred
 * from the values seen.
 *
 * <p>Evolution never fails a batch: unknown tables are created, unknown source paths become columns
 * (named by {@link Naming}), and a column whose type cannot hold a new value is widened (see
 * {@link ColumnType#widen}); widening a declared column (the API contradicted its own spec) is logged as one
 * warning per column. Not thread-safe.
 */
public final class SchemaModel {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaModel.class);

    /**
     * Answers whether every value already stored in a BIGINT column is exact as a DOUBLE (magnitude ≤ 2^53);
     * asked before widening a column that may hold data from earlier batches.
     */
    @FunctionalInterface
    public interface StoredValues {
        boolean fitDouble(TableSchema table, ColumnSchema column);
    }

    private final Map<String, TableSchema> byPath = new LinkedHashMap<>();
    private final Map<String, TableSchema> byName = new HashMap<>();
    private final Set<String> reservedTableNames;
    private final DeclaredSchema declared;
    /** Streams whose declared tables and columns this model has already made sure of. */
    private final Set<String> ensured = new java.util.HashSet<>();

    /**
     * A model under the bundled contract ({@link DeclaredSchema#bundled()}).
     *
     * @param reservedTableNames names data tables must not take (the bookkeeping tables)
     */
    public SchemaModel(Set<String> reservedTableNames) {
        this(reservedTableNames, DeclaredSchema.bundled());
    }

    /** A model under {@code declared} ({@link DeclaredSchema#none()}: every field inferred). */
    public SchemaModel(Set<String> reservedTableNames, DeclaredSchema declared) {
        this.reservedTableNames = Set.copyOf(reservedTableNames);
        this.declared = java.util.Objects.requireNonNull(declared, "declared");
    }

    /** The contract this model creates tables and columns from. */
    public DeclaredSchema declared() {
        return declared;
    }

    /** The table with this source path, or null. */
    public TableSchema table(String path) {
        return byPath.get(path);
    }

    /** The table with this SQL name, or null. */
    public TableSchema tableNamed(String name) {
        return byName.get(name);
    }

    public Collection<TableSchema> tables() {
        return Collections.unmodifiableCollection(byPath.values());
    }

    /** Whether {@code path} is a child table: known to the warehouse, or declared as one by the contract. */
    public boolean isChildTable(String path) {
        TableSchema t = byPath.get(path);
        return t != null ? !t.isRoot() : declared.isChildTable(path);
    }

    /** Every child table (any depth) of a stream, parents before children. */
    public List<TableSchema> childTables(String stream) {
        List<TableSchema> children = new ArrayList<>();
        for (TableSchema t : byPath.values()) {
            if (!t.isRoot() && t.stream().equals(stream)) {
                children.add(t);
            }
        }
        return children;
    }

    /** Re-creates a known table (from persisted bookkeeping); parents must be restored before children. */
    public TableSchema restoreTable(String name, String path, String stream, String parentPath) {
        if (parentPath != null && !byPath.containsKey(parentPath)) {
            throw new IllegalStateException("parent " + parentPath + " of " + path + " is unknown");
        }
        TableSchema t = new TableSchema(name, path, stream, parentPath);
        register(t);
        return t;
    }

    /** Re-creates a known column (from persisted bookkeeping), in its original order. */
    public void restoreColumn(String tableName, String column, String sourcePath, ColumnType type) {
        TableSchema t = byName.get(tableName);
        if (t == null) {
            throw new IllegalStateException("column " + column + " of unknown table " + tableName);
        }
        t.put(new ColumnSchema(column, type, sourcePath));
    }

    private void register(TableSchema t) {
        if (byPath.putIfAbsent(t.path(), t) != null || byName.putIfAbsent(t.name(), t) != null) {
            throw new IllegalStateException("table " + t.name() + " (" + t.path() + ") registered twice");
        }
    }

    /**
     * Brings this model up to what {@code batch} needs and returns the changes, in the order to apply them:
     * a table's creation before its columns, parents before children. Settles the batch's empty arrays first, by
     * the child tables this model knows ({@link FlatBatch#settleEmptyArrays}).
     */
    public List<SchemaChange> evolve(FlatBatch batch, StoredValues stored) {
        batch.settleEmptyArrays(this::isChildTable);
        List<SchemaChange> changes = new ArrayList<>();
        ensureDeclared(batch.stream(), changes);
        for (FlatTable flat : batch.tables()) {
            TableSchema table = byPath.get(flat.path());
            if (table == null) {
                if (flat.rows().isEmpty()) {
                    continue;
                }
                table = new TableSchema(tableName(flat.path(), flat.parentPath(), flat.arrayPointer(), batch.stream()),
                        flat.path(), batch.stream(), flat.parentPath());
                register(table);
                changes.add(new SchemaChange(SchemaChange.Kind.CREATE_TABLE, table.name(), null, null, null, table.path()));
            }
            for (Map.Entry<String, Seen> e : summarize(flat).entrySet()) {
                String pointer = e.getKey();
                Seen seen = e.getValue();
                ColumnSchema column = table.column(pointer);
                if (column == null) {
                    ColumnType type = ColumnType.widen(null, seen.types, seen.bigIntegers);
                    column = new ColumnSchema(columnName(table, pointer), type, pointer);
                    table.put(column);
                    changes.add(new SchemaChange(SchemaChange.Kind.ADD_COLUMN, table.name(), column.name(), type, null, pointer));
                    if (!declared.tables(batch.stream()).isEmpty()) {
                        LOG.info("schema: {}.{} is not in the declared schema: inferred as {} from the values seen"
                                + " (recorded in _schema_changes)", table.name(), column.name(), type);
                    }
                    continue;
                }
                ColumnType target = ColumnType.widen(column.type(), seen.types, seen.bigIntegers);
                if (target == ColumnType.DOUBLE && column.type() == ColumnType.BIGINT && !stored.fitDouble(table, column)) {
                    target = ColumnType.VARCHAR;
                }
                if (target != column.type()) {
                    DeclaredSchema.Column contract = declared.column(table.path(), pointer);
                    if (contract != null) {
                        LOG.warn("schema: {}.{} is declared {} but the API sent {} (e.g. {}): column widened to {} so nothing"
                                        + " is lost (recorded in _schema_changes)", table.name(), column.name(), contract.type(),
                                seen.types, seen.sampleNot(contract.type()), target);
                    }
                    table.put(new ColumnSchema(column.name(), target, pointer));
                    changes.add(new SchemaChange(SchemaChange.Kind.WIDEN, table.name(), column.name(), target, column.type(), pointer));
                }
            }
        }
        return changes;
    }

    /** A data column of a table. */
    public record TableColumn(TableSchema table, ColumnSchema column) {
    }

    /**
     * For the start-up migration: the columns of existing tables that hold an array the contract declares as a
     * child table (JSON text written by versions that shaped tables from the values seen, e.g. {@code []}).
     */
    public List<TableColumn> columnsDeclaredAsChildTables() {
        List<TableColumn> out = new ArrayList<>();
        for (TableSchema t : byPath.values()) {
            for (ColumnSchema c : t.columns()) {
                if (declared.isChildTable(SourcePath.childTable(t.path(), c.sourcePath()))) {
                    out.add(new TableColumn(t, c));
                }
            }
        }
        return out;
    }

    /** For the start-up migration: forgets a column it dropped. */
    public void dropColumn(TableSchema table, String sourcePath) {
        table.remove(sourcePath);
    }

    /**
     * For the start-up migration: brings every stream the warehouse already holds to the contract and returns the
     * changes to apply: missing declared tables and columns, and BIGINT columns the contract declares DOUBLE (when
     * every stored value is exact as a double; otherwise {@code unsafe} is told, and the column stays BIGINT).
     * Columns wider than declared (VARCHAR after a contradiction) are left: they lose nothing.
     */
    public List<SchemaChange> conform(StoredValues stored, java.util.function.Consumer<String> unsafe) {
        List<SchemaChange> changes = new ArrayList<>();
        Set<String> streams = new java.util.LinkedHashSet<>();
        declared.tables().forEach(t -> streams.add(t.stream()));
        for (String stream : streams) {
            if (!byPath.containsKey(stream)) {
                continue; // never synced: its first batch creates it
            }
            ensureDeclared(stream, changes);
            for (DeclaredSchema.Table dt : declared.tables(stream)) {
                TableSchema table = byPath.get(dt.path());
                for (DeclaredSchema.Column dc : dt.columns()) {
                    ColumnSchema c = table.column(dc.pointer());
                    if (c == null || c.type() != ColumnType.BIGINT || dc.type() != ColumnType.DOUBLE) {
                        continue;
                    }
                    if (!stored.fitDouble(table, c)) {
                        unsafe.accept(table.name() + "." + c.name() + " holds integers beyond 2^53, which a DOUBLE would round:"
                                + " kept BIGINT");
                        continue;
                    }
                    table.put(new ColumnSchema(c.name(), ColumnType.DOUBLE, c.sourcePath()));
                    changes.add(new SchemaChange(SchemaChange.Kind.WIDEN, table.name(), c.name(), ColumnType.DOUBLE,
                            ColumnType.BIGINT, c.sourcePath()));
                }
            }
        }
        return changes;
    }

    /**
     * Creates, once per model, every declared table of {@code stream} that is missing (parents first) and every
     * declared column a table lacks, with its declared type. A column that exists with another type is left as it
     * is: bringing an existing warehouse to the contract is the start-up migration's job.
     */
    private void ensureDeclared(String stream, List<SchemaChange> changes) {
        if (!ensured.add(stream)) {
            return;
        }
        for (DeclaredSchema.Table dt : declared.tables(stream)) {
            TableSchema table = byPath.get(dt.path());
            if (table == null) {
                table = new TableSchema(tableName(dt.path(), dt.parentPath(), dt.arrayPointer(), stream), dt.path(), stream,
                        dt.parentPath());
                register(table);
                changes.add(new SchemaChange(SchemaChange.Kind.CREATE_TABLE, table.name(), null, null, null, table.path()));
            }
            for (DeclaredSchema.Column dc : dt.columns()) {
                if (table.column(dc.pointer()) == null) {
                    ColumnSchema column = new ColumnSchema(columnName(table, dc.pointer()), dc.type(), dc.pointer());
                    table.put(column);
                    changes.add(new SchemaChange(SchemaChange.Kind.ADD_COLUMN, table.name(), column.name(), dc.type(), null,
                            dc.pointer()));
                }
            }
        }
    }

    private static final class Seen {
        final Set<ColumnType> types = EnumSet.noneOf(ColumnType.class);
        boolean bigIntegers;
        /** The first value seen of each type, for a warning's message. */
        final Map<ColumnType, String> samples = new java.util.EnumMap<>(ColumnType.class);

        String sampleNot(ColumnType type) {
            return samples.entrySet().stream().filter(e -> e.getKey() != type).map(Map.Entry::getValue).findFirst().orElse("?");
        }
    }

    private static Map<String, Seen> summarize(FlatTable flat) {
        Map<String, Seen> seen = new LinkedHashMap<>();
        for (FlatRow row : flat.rows()) {
            for (Map.Entry<String, Value> e : row.values().entrySet()) {
                Seen s = seen.get(e.getKey());
                if (s == null) {
                    s = new Seen();
                    seen.put(e.getKey(), s);
                }
                Value v = e.getValue();
                // once per column and type: this runs for every value of a batch
                if (s.types.add(v.type())) {
                    s.samples.put(v.type(), v.text().length() > 40 ? v.text().substring(0, 40) + "..." : v.text());
                }
                s.bigIntegers |= !v.exactAsDouble();
            }
        }
        return seen;
    }

    private String tableName(String path, String parentPath, String arrayPointer, String stream) {
        String base;
        if (parentPath == null) {
            base = Naming.fitLength(Naming.join(List.of(stream)), path);
        } else {
            TableSchema parent = byPath.get(parentPath);
            base = Naming.fitLength(Naming.extend(parent.name(), SourcePath.keys(arrayPointer)), path);
        }
        String name = base;
        for (int attempt = 0; byName.containsKey(name) || reservedTableNames.contains(name); attempt++) {
            name = Naming.disambiguate(base, path, attempt);
        }
        return name;
    }

    private static String columnName(TableSchema table, String pointer) {
        String fullPath = table.path() + pointer;
        String base = Naming.fitLength(Naming.join(SourcePath.keys(pointer)), fullPath);
        String name = base;
        for (int attempt = 0; table.nameTaken(name); attempt++) {
            name = Naming.disambiguate(base, fullPath, attempt);
        }
        return name;
    }
}
