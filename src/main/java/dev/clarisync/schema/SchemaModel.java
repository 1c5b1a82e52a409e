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

/**
 * The warehouse's knowledge of its data tables, and the schema-evolution rule. Pure and in memory: the
 * warehouse restores it from its bookkeeping tables, lets {@link #evolve} decide what a batch needs, applies
 * the returned changes in the same transaction as the data, and reloads it after a rollback.
 *
 * <p>Evolution never fails a batch: unknown tables are created, unknown source paths become columns
 * (named by {@link Naming}), and a column whose type cannot hold a new value is widened (see
 * {@link ColumnType#widen}). Not thread-safe.
 */
public final class SchemaModel {

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

    /** @param reservedTableNames names data tables must not take (the bookkeeping tables) */
    public SchemaModel(Set<String> reservedTableNames) {
        this.reservedTableNames = Set.copyOf(reservedTableNames);
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

    public boolean isChildTable(String path) {
        TableSchema t = byPath.get(path);
        return t != null && !t.isRoot();
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
     * a table's creation before its columns, parents before children.
     */
    public List<SchemaChange> evolve(FlatBatch batch, StoredValues stored) {
        List<SchemaChange> changes = new ArrayList<>();
        for (FlatTable flat : batch.tables()) {
            TableSchema table = byPath.get(flat.path());
            if (table == null) {
                if (flat.rows().isEmpty()) {
                    continue;
                }
                table = new TableSchema(tableName(flat, batch.stream()), flat.path(), batch.stream(), flat.parentPath());
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
                    continue;
                }
                ColumnType target = ColumnType.widen(column.type(), seen.types, seen.bigIntegers);
                if (target == ColumnType.DOUBLE && column.type() == ColumnType.BIGINT && !stored.fitDouble(table, column)) {
                    target = ColumnType.VARCHAR;
                }
                if (target != column.type()) {
                    table.put(new ColumnSchema(column.name(), target, pointer));
                    changes.add(new SchemaChange(SchemaChange.Kind.WIDEN, table.name(), column.name(), target, column.type(), pointer));
                }
            }
        }
        return changes;
    }

    private static final class Seen {
        final Set<ColumnType> types = EnumSet.noneOf(ColumnType.class);
        boolean bigIntegers;
    }

    private static Map<String, Seen> summarize(FlatTable flat) {
        Map<String, Seen> seen = new LinkedHashMap<>();
        for (FlatRow row : flat.rows()) {
            for (Map.Entry<String, Value> e : row.values().entrySet()) {
                Seen s = seen.computeIfAbsent(e.getKey(), k -> new Seen());
                Value v = e.getValue();
                s.types.add(v.type());
                s.bigIntegers |= !v.exactAsDouble();
            }
        }
        return seen;
    }

    private String tableName(FlatTable flat, String stream) {
        String base;
        if (flat.isRoot()) {
            base = Naming.fitLength(Naming.join(List.of(stream)), flat.path());
        } else {
            TableSchema parent = byPath.get(flat.parentPath());
            base = Naming.fitLength(Naming.extend(parent.name(), SourcePath.keys(flat.arrayPointer())), flat.path());
        }
        String name = base;
        for (int attempt = 0; byName.containsKey(name) || reservedTableNames.contains(name); attempt++) {
            name = Naming.disambiguate(base, flat.path(), attempt);
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
