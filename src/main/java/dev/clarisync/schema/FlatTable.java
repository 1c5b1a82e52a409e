package dev.clarisync.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The rows one batch produced for one table, identified by its source path (see {@link SourcePath}). A child
 * table also knows its parent table's path and the pointer of its array inside the parent's rows, from which
 * its name is derived.
 */
public final class FlatTable {

    private final String path;
    private final String parentPath;
    private final String arrayPointer;
    private final List<FlatRow> rows = new ArrayList<>();

    FlatTable(String path, String parentPath, String arrayPointer) {
        this.path = path;
        this.parentPath = parentPath;
        this.arrayPointer = arrayPointer;
    }

    public String path() {
        return path;
    }

    /** Null for the stream's root table. */
    public String parentPath() {
        return parentPath;
    }

    /** Pointer of the array inside a parent row (e.g. {@code /metrics/categories}); null for the root table. */
    public String arrayPointer() {
        return arrayPointer;
    }

    public boolean isRoot() {
        return parentPath == null;
    }

    public List<FlatRow> rows() {
        return Collections.unmodifiableList(rows);
    }

    void add(FlatRow row) {
        rows.add(row);
    }
}
