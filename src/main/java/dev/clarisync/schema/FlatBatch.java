package dev.clarisync.schema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the {@link Flattener} made of one batch of records of one stream: the root table first, then child
 * tables in the order they were met (a parent always before its children). Only tables with at least one row
 * appear.
 */
public final class FlatBatch {

    private final String stream;
    private final int records;
    private final Map<String, FlatTable> tables = new LinkedHashMap<>();
    /** Empty arrays whose fate (no column, or the JSON value {@code []}) waits for {@link #settleEmptyArrays}. */
    private List<PendingEmpty> pending = List.of();

    FlatBatch(String stream, int records) {
        this.stream = stream;
        this.records = records;
        tables.put(stream, new FlatTable(stream, null, null));
    }

    /** An empty array met in a row, kept as the JSON value {@code []} until its path is known to be a child table or not. */
    record PendingEmpty(FlatRow row, String pointer, String childTablePath) {
    }

    public String stream() {
        return stream;
    }

    /** How many records were flattened (duplicates of an id included). */
    public int records() {
        return records;
    }

    /**
     * Decides the batch's empty arrays: one whose path is a child table (met in this batch, or {@code knownChildTable})
     * adds nothing, any other stays the JSON value {@code []}. Decided after the whole batch, so a record with
     * {@code []} before one with objects does not create a JSON column; asked of the warehouse's schema only when
     * the batch is written, under its lock. Only the first call decides: a batch is settled once.
     */
    public void settleEmptyArrays(Predicate<String> knownChildTable) {
        for (PendingEmpty p : pending) {
            if (has(p.childTablePath()) || knownChildTable.test(p.childTablePath())) {
                p.row().remove(p.pointer());
            }
        }
        pending = List.of();
    }

    public FlatTable root() {
        return tables.get(stream);
    }

    /** The root table first, then children, parents before their children. */
    public Collection<FlatTable> tables() {
        return Collections.unmodifiableCollection(tables.values());
    }

    public FlatTable table(String path) {
        return tables.get(path);
    }

    /** The (deduplicated) record ids, in batch order. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>(root().rows().size());
        for (FlatRow row : root().rows()) {
            ids.add(row.id());
        }
        return ids;
    }

    void pending(List<PendingEmpty> empties) {
        pending = empties;
    }

    boolean has(String path) {
        return tables.containsKey(path);
    }

    FlatTable tableFor(String path, String parentPath, String arrayPointer) {
        return tables.computeIfAbsent(path, p -> new FlatTable(p, parentPath, arrayPointer));
    }
}
