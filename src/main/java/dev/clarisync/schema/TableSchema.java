package dev.clarisync.schema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the warehouse knows about one table: name, source path, stream, parent, system and data columns.
 *
 * <p>System columns: a root table has {@value #ID} (VARCHAR, primary key), {@value #SYNCED_AT} (TIMESTAMP)
 * and, once {@code markDeleted} was used, {@value #DELETED} (BOOLEAN). A child table has {@value #ROOT_ID}
 * (the stream record id), {@value #PARENT_ID}, {@value #IDX} (BIGINT) and {@value #SYNCED_AT}; its logical
 * key is ({@value #PARENT_ID}, {@value #IDX}). All these system names are reserved in every table: a JSON field
 * that normalises to one gets a hash suffix (see {@link Naming}).
 */
public final class TableSchema {

    public static final String ID = "id";
    public static final String SYNCED_AT = "_synced_at";
    public static final String DELETED = "_deleted";
    public static final String ROOT_ID = "_root_id";
    public static final String PARENT_ID = "_parent_id";
    public static final String IDX = "_idx";

    private static final List<ColumnSchema> ROOT_SYSTEM = List.of(
            new ColumnSchema(ID, ColumnType.VARCHAR, null), new ColumnSchema(SYNCED_AT, ColumnType.TIMESTAMP, null));
    private static final ColumnSchema DELETED_COLUMN = new ColumnSchema(DELETED, ColumnType.BOOLEAN, null);
    private static final List<ColumnSchema> CHILD_SYSTEM = List.of(
            new ColumnSchema(ROOT_ID, ColumnType.VARCHAR, null), new ColumnSchema(PARENT_ID, ColumnType.VARCHAR, null),
            new ColumnSchema(IDX, ColumnType.BIGINT, null), new ColumnSchema(SYNCED_AT, ColumnType.TIMESTAMP, null));

    private final String name;
    private final String path;
    private final String stream;
    private final String parentPath;
    private final Map<String, ColumnSchema> columns = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();
    private boolean deletedFlag;

    TableSchema(String name, String path, String stream, String parentPath) {
        this.name = name;
        this.path = path;
        this.stream = stream;
        this.parentPath = parentPath;
        names.addAll(List.of(ID, SYNCED_AT, DELETED, ROOT_ID, PARENT_ID, IDX));
    }

    public String name() {
        return name;
    }

    /** Source path (see {@link SourcePath}): the stream name for a root table. */
    public String path() {
        return path;
    }

    public String stream() {
        return stream;
    }

    /** Null for a root table. */
    public String parentPath() {
        return parentPath;
    }

    public boolean isRoot() {
        return parentPath == null;
    }

    /** Data columns in the order they were added. */
    public Collection<ColumnSchema> columns() {
        return Collections.unmodifiableCollection(columns.values());
    }

    /** The data column holding {@code sourcePath}, or null. */
    public ColumnSchema column(String sourcePath) {
        return columns.get(sourcePath);
    }

    /** System columns (see class comment), in table order. */
    public List<ColumnSchema> systemColumns() {
        if (!isRoot()) {
            return CHILD_SYSTEM;
        }
        if (!deletedFlag) {
            return ROOT_SYSTEM;
        }
        List<ColumnSchema> all = new ArrayList<>(ROOT_SYSTEM);
        all.add(DELETED_COLUMN);
        return all;
    }

    /** System then data columns: every column the table has. */
    public List<ColumnSchema> allColumns() {
        List<ColumnSchema> all = new ArrayList<>(systemColumns());
        all.addAll(columns.values());
        return all;
    }

    public boolean hasDeletedFlag() {
        return deletedFlag;
    }

    /** Records that the {@value #DELETED} column exists (root tables only). */
    public void markHasDeletedFlag() {
        if (!isRoot()) {
            throw new IllegalStateException(name + " is not a root table");
        }
        deletedFlag = true;
    }

    boolean nameTaken(String candidate) {
        return names.contains(candidate);
    }

    void put(ColumnSchema column) {
        ColumnSchema old = columns.put(column.sourcePath(), column);
        if (old != null && !old.name().equals(column.name())) {
            throw new IllegalStateException("column of " + column.sourcePath() + " renamed");
        }
        names.add(column.name());
    }

    /** Forgets a data column (the start-up migration dropped it). */
    void remove(String sourcePath) {
        ColumnSchema old = columns.remove(sourcePath);
        if (old != null) {
            names.remove(old.name());
        }
    }

    @Override
    public String toString() {
        return name + columns.values();
    }
}
