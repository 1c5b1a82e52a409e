package dev.clarisync.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The JSON → tables rule, as a pure function from records to rows (names and types are decided later by
 * {@link SchemaModel}):
 * <ul>
 *   <li>each record is one row of the stream's root table, keyed by its string {@code id};</li>
 *   <li>a nested object is flattened into its parent row (column path {@code /crm_info/deal_id});</li>
 *   <li>an array whose elements are all objects becomes rows of a child table (path
 *       {@code <table path>/<field>[]}), one per element, with {@code rootId} = the record id,
 *       {@code parentId} and {@code idx} as described in {@link FlatRow};</li>
 *   <li>any other non-empty array (scalars, nulls, mixed, nested arrays) is one {@link ColumnType#JSON} value
 *       holding the array's JSON text;</li>
 *   <li>an empty array adds nothing if its path is a child table (already known to the warehouse, declared by the
 *       {@link DeclaredSchema} — see {@link SchemaModel#isChildTable} — or met in this batch), otherwise it is the
 *       JSON value {@code []}; what the warehouse knows is asked only when the batch is written
 *       ({@link FlatBatch#settleEmptyArrays}), so flattening needs neither the warehouse nor its lock;</li>
 *   <li>null and missing fields add nothing; scalars become {@link Value}s.</li>
 * </ul>
 */
public final class Flattener {

    private static final Value EMPTY_ARRAY = Value.json("[]");

    private Flattener() {
    }

    /**
     * Flattens one batch of one stream and settles its empty arrays at once, for a caller with the schema at hand.
     *
     * @param knownChildTable  whether a table path is already a child table in the warehouse
     * @see #flatten(String, List)
     */
    public static FlatBatch flatten(String stream, List<? extends JsonNode> records, Predicate<String> knownChildTable) {
        FlatBatch batch = flatten(stream, records);
        batch.settleEmptyArrays(knownChildTable);
        return batch;
    }

    /**
     * Flattens one batch of one stream, before any lock is taken: the empty arrays stay undecided until the batch is
     * written (the warehouse's {@link SchemaModel#evolve} settles them by what it knows then).
     *
     * @param records          JSON objects, each with a non-empty string {@code "id"}; for duplicate ids the last
     *                         record wins (and keeps the position of the first)
     * @throws IllegalArgumentException if the stream name is empty or contains {@code /} (the path separator), or a
     *                                  record is not an object or lacks a non-empty string id; nothing is flattened then
     */
    public static FlatBatch flatten(String stream, List<? extends JsonNode> records) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(records, "records");
        if (stream.isEmpty()) {
            throw new IllegalArgumentException("stream name is empty");
        }
        if (stream.contains("/")) {
            throw new IllegalArgumentException("stream name must not contain '/': " + stream);
        }
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            if (record == null || !record.isObject()) {
                throw new IllegalArgumentException(stream + " record #" + i + " is not a JSON object");
            }
            JsonNode id = record.get("id");
            if (id == null || !id.isTextual() || id.textValue().isEmpty()) {
                throw new IllegalArgumentException(stream + " record #" + i + " has no non-empty string \"id\"");
            }
            byId.put(id.textValue(), record);
        }
        FlatBatch batch = new FlatBatch(stream, records.size());
        List<FlatBatch.PendingEmpty> pending = new ArrayList<>();
        Pointers pointers = new Pointers();
        for (Map.Entry<String, JsonNode> e : byId.entrySet()) {
            FlatRow row = FlatRow.root(e.getKey());
            batch.root().add(row);
            flattenObject(batch, stream, e.getValue(), "", row, pending, pointers);
        }
        batch.pending(pending);
        return batch;
    }

    /**
     * The pointers of one batch, built once per (base, key) and shared by every row: a batch repeats the same few
     * dozen field names thousands of times, and a shared String also keeps its hash code for the map lookups that
     * follow (row values, schema evolution, loading).
     */
    private static final class Pointers {
        private final Map<String, Map<String, String>> byBase = new java.util.HashMap<>();

        private final Map<String, Map<String, String>> tables = new java.util.HashMap<>();

        String child(String base, String key) {
            return cached(byBase, base, key, SourcePath::child);
        }

        String childTable(String tablePath, String pointer) {
            return cached(tables, tablePath, pointer, SourcePath::childTable);
        }

        // no capturing lambda: this runs for every field of every record (it would be an object each time)
        private static String cached(Map<String, Map<String, String>> cache, String outer, String inner,
                                     java.util.function.BinaryOperator<String> make) {
            Map<String, String> known = cache.computeIfAbsent(outer, o -> new java.util.HashMap<>());
            String made = known.get(inner);
            if (made == null) {
                made = make.apply(outer, inner);
                known.put(inner, made);
            }
            return made;
        }
    }

    private static void flattenObject(FlatBatch batch, String tablePath, JsonNode object, String base, FlatRow row,
                                      List<FlatBatch.PendingEmpty> pending, Pointers pointers) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode node = field.getValue();
            if (row.isRoot() && base.isEmpty() && field.getKey().equals("id")) {
                continue; // the record id is the row key, not a data column
            }
            String pointer = pointers.child(base, field.getKey());
            if (node == null || node.isNull() || node.isMissingNode()) {
                continue;
            }
            if (node.isObject()) {
                flattenObject(batch, tablePath, node, pointer, row, pending, pointers);
            } else if (node.isArray()) {
                String childPath = pointers.childTable(tablePath, pointer);
                if (node.isEmpty()) {
                    row.put(pointer, EMPTY_ARRAY); // put now (keeps the field order), maybe removed at the end
                    pending.add(new FlatBatch.PendingEmpty(row, pointer, childPath));
                } else if (allObjects(node)) {
                    FlatTable child = batch.tableFor(childPath, tablePath, pointer);
                    String parentId = row.idForChildren();
                    for (int i = 0; i < node.size(); i++) {
                        FlatRow childRow = FlatRow.child(row.rootId(), parentId, i);
                        child.add(childRow);
                        flattenObject(batch, childPath, node.get(i), "", childRow, pending, pointers);
                    }
                } else {
                    row.put(pointer, Value.json(node.toString()));
                }
            } else {
                row.put(pointer, Value.of(node));
            }
        }
    }

    private static boolean allObjects(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isObject()) {
                return false;
            }
        }
        return true;
    }
}
