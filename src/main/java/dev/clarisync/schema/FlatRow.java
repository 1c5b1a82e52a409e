package dev.clarisync.schema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of a {@link FlatTable}. A root row has {@link #id()} (the record id); a child row has
 * {@link #rootId()} (the stream record id), {@link #parentId()} and {@link #idx()} (0-based position in its
 * array). Child rows of a root row have {@code parentId = record id}; rows of deeper arrays have
 * {@code parentId = <parent row's parentId>/<parent row's idx>}, so {@code (parentId, idx)} is unique per table
 * and {@code child.parentId = parent.parentId || '/' || parent.idx} joins a child to its parent.
 * Values are keyed by column source path (see {@link SourcePath}); absent means null.
 */
public final class FlatRow {

    private final String rootId;
    private final String parentId;
    private final long idx;
    private final Map<String, Value> values = new LinkedHashMap<>();

    private FlatRow(String rootId, String parentId, long idx) {
        this.rootId = rootId;
        this.parentId = parentId;
        this.idx = idx;
    }

    static FlatRow root(String id) {
        return new FlatRow(id, null, -1);
    }

    static FlatRow child(String rootId, String parentId, long idx) {
        return new FlatRow(rootId, parentId, idx);
    }

    public boolean isRoot() {
        return parentId == null;
    }

    /** The record id (root rows only). */
    public String id() {
        return rootId;
    }

    public String rootId() {
        return rootId;
    }

    /** Null for root rows. */
    public String parentId() {
        return parentId;
    }

    /** -1 for root rows. */
    public long idx() {
        return idx;
    }

    /** The parentId that rows of arrays inside this row get. */
    String idForChildren() {
        return isRoot() ? rootId : parentId + "/" + idx;
    }

    void put(String pointer, Value value) {
        values.put(pointer, value);
    }

    void remove(String pointer) {
        values.remove(pointer);
    }

    /** Non-null values by column source path, in the order the fields were met. */
    public Map<String, Value> values() {
        return Collections.unmodifiableMap(values);
    }

    public Value get(String pointer) {
        return values.get(pointer);
    }

    @Override
    public String toString() {
        return (isRoot() ? "root " + rootId : "child " + parentId + "#" + idx) + " " + values;
    }
}
