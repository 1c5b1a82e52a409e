package dev.clarisync.schema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@link Flattener} made of one batch of records of one stream: the root table first, then child
 * tables in the order they were met (a parent always before its children). Only tables with at least one row
 * appear.
 */
public final class FlatBatch {

    private final String stream;
    private final Map<String, FlatTable> tables = new LinkedHashMap<>();

    FlatBatch(String stream) {
        this.stream = stream;
        tables.put(stream, new FlatTable(stream, null, null));
    }

    public String stream() {
        return stream;
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

    boolean has(String path) {
        return tables.containsKey(path);
    }

    FlatTable tableFor(String path, String parentPath, String arrayPointer) {
        return tables.computeIfAbsent(path, p -> new FlatTable(p, parentPath, arrayPointer));
    }
}
