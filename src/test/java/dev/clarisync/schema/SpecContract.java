package dev.clarisync.schema;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Derives the declared tables from the vendor's OpenAPI description, with the rules of {@link DeclaredSchema}:
 * what {@code declared-schema.json} must say. Test scope (swagger-parser is a test dependency): the connector
 * reads only the reviewed resource.
 */
final class SpecContract {

    /** A stream we read: its name, the GET path answering it, and the response property holding its records. */
    record Stream(String name, String path, String property) {
    }

    static final List<Stream> STREAMS = List.of(
            new Stream("calls", "/calls", "calls"),
            new Stream("call_details", "/call-details", "call"),
            new Stream("users", "/users", "users"),
            new Stream("scorecards", "/scorecard", "scorecards"),
            new Stream("scorecard_templates", "/scorecard-template", "scoreCardTemplates"),
            new Stream("topics", "/v2/topics", "topics"));

    private SpecContract() {
    }

    /**
     * The spec file: {@code -Dclari.openapi=<file>}, else {@code shared/clari-openapi.yml} in the first ancestor of
     * the working directory that has it (CI clones the repository beside {@code shared/}). Fails, never skips.
     */
    static Path locate() {
        String explicit = System.getProperty("clari.openapi");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("clari-openapi.yml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("the vendor spec shared/clari-openapi.yml was not found beside the repository or above it;"
                + " pass -Dclari.openapi=<file>");
    }

    static OpenAPI parse(Path spec) {
        ParseOptions options = new ParseOptions();
        options.setResolve(false); // $refs are followed here, one at a time, to keep field order and titles
        SwaggerParseResult r = new OpenAPIV3Parser().readLocation(spec.toUri().toString(), null, options);
        if (r.getOpenAPI() == null) {
            throw new IllegalStateException("cannot parse " + spec + ": " + r.getMessages());
        }
        return r.getOpenAPI();
    }

    /** Every declared table of every stream, in stream order, parents before children. */
    static List<DeclaredSchema.Table> tables(OpenAPI api) {
        List<DeclaredSchema.Table> all = new ArrayList<>();
        for (Stream s : STREAMS) {
            all.addAll(new Walker(api).stream(s));
        }
        return all;
    }

    private static final class Walker {
        private final OpenAPI api;
        private final List<Builder> tables = new ArrayList<>();

        Walker(OpenAPI api) {
            this.api = api;
        }

        private static final class Builder {
            final String path;
            final String name;
            final String parentPath;
            final String arrayPointer;
            final String source;
            final String description;
            final List<DeclaredSchema.Column> columns = new ArrayList<>();
            final Set<String> names = new HashSet<>();

            Builder(String path, String name, String parentPath, String arrayPointer, String source, String description) {
                this.path = path;
                this.name = name;
                this.parentPath = parentPath;
                this.arrayPointer = arrayPointer;
                this.source = source;
                this.description = description;
            }
        }

        List<DeclaredSchema.Table> stream(Stream s) {
            Schema<?> response = api.getPaths().get(s.path()).getGet().getResponses().get("200").getContent()
                    .get("application/json").getSchema();
            Schema<?> records = properties(resolve(response)).get(s.property());
            if (records == null) {
                throw new IllegalStateException("GET " + s.path() + " answers no '" + s.property() + "'");
            }
            Schema<?> record = "array".equals(resolve(records).getType()) ? resolve(records).getItems() : records;
            String source = "GET " + s.path() + " → " + s.property() + ("array".equals(resolve(records).getType()) ? "[]" : "")
                    + refName(record).map(n -> " (" + n + ")").orElse("");
            Builder root = new Builder(s.name(), Naming.fitLength(Naming.join(List.of(s.name())), s.name()), null, null, source,
                    title(resolve(record)));
            tables.add(root);
            walk(root, resolve(record), "", "");
            return tables.stream().map(b -> new DeclaredSchema.Table(b.path, b.name, s.name(), b.parentPath, b.arrayPointer,
                    b.source, b.description, List.copyOf(b.columns))).toList();
        }

        private void walk(Builder table, Schema<?> object, String base, String fieldPrefix) {
            for (Map.Entry<String, Schema<?>> p : properties(object).entrySet()) {
                String key = p.getKey();
                if (table.parentPath == null && base.isEmpty() && key.equals("id")) {
                    continue; // the record id is the row key
                }
                Schema<?> declared = p.getValue();
                Schema<?> s = resolve(declared);
                String pointer = SourcePath.child(base, key);
                String field = fieldPrefix + key;
                if (isObject(s)) {
                    walk(table, s, pointer, field + ".");
                } else if ("array".equals(s.getType())) {
                    Schema<?> items = resolve(s.getItems());
                    if (isObject(items)) {
                        String path = SourcePath.childTable(table.path, pointer);
                        String name = Naming.fitLength(Naming.extend(table.name, SourcePath.keys(pointer)), path);
                        Builder child = new Builder(path, name, table.path, pointer,
                                field + "[]" + refName(s.getItems()).map(n -> " (" + n + ")").orElse(""),
                                description(declared, s.getItems()));
                        tables.add(child);
                        walk(child, items, "", "");
                    } else {
                        add(table, pointer, field, ColumnType.JSON, description(declared, s.getItems()));
                    }
                } else {
                    add(table, pointer, field, scalar(s, table.path + pointer), description(declared, null));
                }
            }
        }

        private void add(Builder table, String pointer, String field, ColumnType type, String description) {
            String name = Naming.fitLength(Naming.join(SourcePath.keys(pointer)), table.path + pointer);
            if (!table.names.add(name)) {
                throw new IllegalStateException(table.name + "." + name + " declared twice (" + field + ")");
            }
            table.columns.add(new DeclaredSchema.Column(pointer, name, type, field, description, false));
        }

        private static ColumnType scalar(Schema<?> s, String where) {
            String type = s.getType();
            if (type == null) {
                throw new IllegalStateException(where + " has no type in the spec");
            }
            return switch (type) {
                case "integer" -> ColumnType.BIGINT;
                case "number", "float", "double" -> ColumnType.DOUBLE; // "float" is not OpenAPI, but the spec uses it
                case "boolean" -> ColumnType.BOOLEAN;
                case "string" -> "date-time".equals(s.getFormat()) ? ColumnType.TIMESTAMP : ColumnType.VARCHAR;
                default -> throw new IllegalStateException(where + " has type " + type + ", which the contract does not map");
            };
        }

        /** The property's own description, else the title of what it refers to, plus the allowed values. */
        private String description(Schema<?> declared, Schema<?> items) {
            Schema<?> s = resolve(declared);
            String text = declared.getDescription() != null ? declared.getDescription()
                    : declared.get$ref() != null && s.getTitle() != null ? s.getTitle() : "";
            if (text.isEmpty() && items != null && items.get$ref() != null && resolve(items).getTitle() != null) {
                text = resolve(items).getTitle();
            }
            Schema<?> enumSource = items != null ? resolve(items) : s;
            if (enumSource.getEnum() != null && !enumSource.getEnum().isEmpty()) {
                String values = enumSource.getEnum().stream().map(String::valueOf).collect(Collectors.joining(", "));
                text = (text.isEmpty() ? "" : text.strip() + ". ") + "One of: " + values + ".";
            }
            return text.strip().replaceAll("\\s+", " ");
        }

        private static String title(Schema<?> s) {
            return s.getTitle() == null ? "" : s.getTitle();
        }

        private java.util.Optional<String> refName(Schema<?> s) {
            return s == null || s.get$ref() == null ? java.util.Optional.empty()
                    : java.util.Optional.of(s.get$ref().substring(s.get$ref().lastIndexOf('/') + 1));
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private Schema<?> resolve(Schema<?> s) {
            while (s != null && s.get$ref() != null) {
                String ref = s.get$ref();
                Schema<?> target = api.getComponents().getSchemas().get(ref.substring(ref.lastIndexOf('/') + 1));
                if (target == null) {
                    throw new IllegalStateException("unresolved " + ref);
                }
                s = target;
            }
            return s;
        }

        private boolean isObject(Schema<?> s) {
            return "object".equals(s.getType()) || s.getProperties() != null || s.getAllOf() != null || s.getAnyOf() != null
                    || s.getOneOf() != null;
        }

        /** Properties of an object, with allOf parts merged in order and anyOf/oneOf options united. */
        private Map<String, Schema<?>> properties(Schema<?> s) {
            Map<String, Schema<?>> out = new LinkedHashMap<>();
            List<Schema> parts = new ArrayList<>();
            if (s.getAllOf() != null) {
                parts.addAll(s.getAllOf());
            }
            if (s.getAnyOf() != null) {
                parts.addAll(s.getAnyOf());
            }
            if (s.getOneOf() != null) {
                parts.addAll(s.getOneOf());
            }
            for (Schema part : parts) {
                properties(resolve(part)).forEach(out::putIfAbsent);
            }
            if (s.getProperties() != null) {
                s.getProperties().forEach((k, v) -> out.putIfAbsent(k, (Schema<?>) v));
            }
            return out;
        }
    }
}
