package dev.clarisync.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The schema contract: the tables and typed columns of every stream, as the vendor's OpenAPI description
 * declares them, kept in the reviewed resource {@value #RESOURCE} (a test re-derives it from the spec and fails
 * when the two drift; the same test regenerates it with {@code -Dclari.schema.regenerate=true}).
 *
 * <p>Rules it was derived with: {@code number} → {@link ColumnType#DOUBLE}, {@code integer} →
 * {@link ColumnType#BIGINT}, {@code string} with {@code format: date-time} → {@link ColumnType#TIMESTAMP},
 * {@code boolean}, other strings → {@link ColumnType#VARCHAR}; objects flattened ({@code __}); arrays of objects
 * are child tables; arrays of scalars are {@link ColumnType#JSON} text. A field has one shape wherever it appears.
 *
 * <p>{@link SchemaModel} creates every declared table and column of a stream at its first batch, with the declared
 * type, and infers only fields the contract does not know. Immutable.
 */
public final class DeclaredSchema {

    /** Classpath location of the bundled contract. */
    public static final String RESOURCE = "/schema/declared-schema.json";

    /** One declared column: relative pointer in its table's rows, SQL name, type, dotted API field, description. */
    public record Column(String pointer, String name, ColumnType type, String field, String description, boolean connector) {
    }

    /**
     * One declared table: source path (see {@link SourcePath}), SQL name, stream, parent path and array pointer
     * (null for a root table), where it comes from in the spec, and its columns in spec order.
     */
    public record Table(String path, String name, String stream, String parentPath, String arrayPointer, String source,
                        String description, List<Column> columns) {

        public boolean isRoot() {
            return parentPath == null;
        }

        public Column column(String pointer) {
            for (Column c : columns) {
                if (c.pointer().equals(pointer)) {
                    return c;
                }
            }
            return null;
        }
    }

    private static final DeclaredSchema NONE = new DeclaredSchema(List.of());
    private static volatile DeclaredSchema bundled;
    /** See {@link #layoutBeforeTheContract()}. */
    private static final ThreadLocal<Boolean> INFER_ONLY = new ThreadLocal<>();

    private final Map<String, Table> byPath = new LinkedHashMap<>();

    private DeclaredSchema(List<Table> tables) {
        for (Table t : tables) {
            if (t.parentPath() != null && !byPath.containsKey(t.parentPath())) {
                throw new IllegalArgumentException("declared table " + t.path() + " comes before its parent " + t.parentPath());
            }
            if (byPath.put(t.path(), t) != null) {
                throw new IllegalArgumentException("declared table " + t.path() + " twice");
            }
        }
    }

    /** No contract: every field inferred from the values seen (the layout before the contract existed). */
    public static DeclaredSchema none() {
        return NONE;
    }

    /**
     * Until the returned handle is closed, {@link #bundled()} answers {@link #none()} on this thread: models made
     * meanwhile infer every field, as versions before the contract did. For tests that build a warehouse in that
     * layout to migrate it; never used by the connector.
     */
    public static AutoCloseable layoutBeforeTheContract() {
        INFER_ONLY.set(Boolean.TRUE);
        return INFER_ONLY::remove;
    }

    /** The contract bundled with the connector ({@value #RESOURCE}), read once. */
    public static DeclaredSchema bundled() {
        if (INFER_ONLY.get() != null) {
            return NONE;
        }
        DeclaredSchema d = bundled;
        if (d == null) {
            try (InputStream in = DeclaredSchema.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the classpath");
                }
                d = fromJson(new ObjectMapper().readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
            bundled = d;
        }
        return d;
    }

    /** Parses the resource form: {@code tables} (derived from the spec) plus {@code connectorColumns} (added by us). */
    public static DeclaredSchema fromJson(JsonNode root) {
        List<Table> tables = new ArrayList<>();
        Map<String, List<Column>> extra = new LinkedHashMap<>();
        for (JsonNode c : root.path("connectorColumns")) {
            extra.computeIfAbsent(c.path("table_path").asText(), k -> new ArrayList<>()).add(column(c, true));
        }
        for (JsonNode t : root.path("tables")) {
            List<Column> columns = new ArrayList<>();
            for (JsonNode c : t.path("columns")) {
                columns.add(column(c, false));
            }
            String path = t.path("path").asText();
            columns.addAll(extra.getOrDefault(path, List.of()));
            tables.add(new Table(path, t.path("table").asText(), t.path("stream").asText(), text(t, "parent"), text(t, "array"),
                    t.path("source").asText(""), t.path("description").asText(""), List.copyOf(columns)));
        }
        return new DeclaredSchema(tables);
    }

    private static Column column(JsonNode c, boolean connector) {
        return new Column(c.path("pointer").asText(), c.path("column").asText(), ColumnType.valueOf(c.path("type").asText()),
                c.path("field").asText(), c.path("description").asText(""), connector);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /**
     * The {@code tables} part of the resource form for these tables (connector columns left out): what the spec
     * test compares and what regeneration writes.
     */
    public static ArrayNode tablesJson(Collection<Table> tables) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Table t : tables) {
            ObjectNode o = out.addObject();
            o.put("table", t.name());
            o.put("path", t.path());
            o.put("stream", t.stream());
            if (t.parentPath() != null) {
                o.put("parent", t.parentPath());
                o.put("array", t.arrayPointer());
            }
            o.put("source", t.source());
            o.put("description", t.description());
            ArrayNode cols = o.putArray("columns");
            for (Column c : t.columns()) {
                if (c.connector()) {
                    continue;
                }
                ObjectNode col = cols.addObject();
                col.put("column", c.name());
                col.put("type", c.type().name());
                col.put("field", c.field());
                col.put("pointer", c.pointer());
                col.put("description", c.description());
            }
        }
        return out;
    }

    /** Every declared table, parents before children. */
    public Collection<Table> tables() {
        return Collections.unmodifiableCollection(byPath.values());
    }

    /** The declared tables of one stream, root first, parents before children (empty for an undeclared stream). */
    public List<Table> tables(String stream) {
        List<Table> out = new ArrayList<>();
        for (Table t : byPath.values()) {
            if (t.stream().equals(stream)) {
                out.add(t);
            }
        }
        return out;
    }

    public Table table(String path) {
        return byPath.get(path);
    }

    /** Whether {@code path} is a declared child table (an array of objects in the spec). */
    public boolean isChildTable(String path) {
        Table t = byPath.get(path);
        return t != null && !t.isRoot();
    }

    /** The declared column at {@code pointer} of the table {@code tablePath}, or null. */
    public Column column(String tablePath, String pointer) {
        Table t = byPath.get(tablePath);
        return t == null ? null : t.column(Objects.requireNonNull(pointer));
    }
}
