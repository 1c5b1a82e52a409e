package dev.clarisync.schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Renders {@code docs/tables.md}, the data dictionary, from the {@link DeclaredSchema}: every declared table and
 * column with its type, source field and the spec's description. {@code DataDictionaryTest} keeps the file current;
 * {@code main} (or that test with {@code -Dclari.docs.regenerate=true}) rewrites it.
 */
public final class DataDictionary {

    /** Where the dictionary lives, relative to the repository root. */
    public static final Path FILE = Path.of("docs", "tables.md");

    private DataDictionary() {
    }

    /** Writes {@link #FILE} (or the path given as the first argument) from the bundled contract. */
    public static void main(String[] args) throws IOException {
        Path out = args.length > 0 ? Path.of(args[0]) : FILE;
        Files.writeString(out, render(DeclaredSchema.bundled()));
        System.out.println("wrote " + out);
    }

    /** The dictionary as Markdown. */
    public static String render(DeclaredSchema schema) {
        StringBuilder md = new StringBuilder();
        md.append("# Data dictionary\n\n")
                .append("<!-- Generated from src/main/resources/schema/declared-schema.json by dev.clarisync.schema.DataDictionary;"
                        + " do not edit. Regenerate: mvn -B -q test -Dtest=DataDictionaryTest -Dclari.docs.regenerate=true -->\n\n")
                .append("Every table and column the connector creates from the API's declared schema (the vendor's OpenAPI"
                        + " description, `shared/clari-openapi.yml`). Declared columns exist from the first sync, even when"
                        + " every value so far is null or absent. See [the warehouse](warehouse.md#the-warehouse) for the rules.\n\n")
                .append("- **System columns.** A root table also has `id` (the record id, primary key) and `_synced_at`, and"
                        + " `_deleted` once a record disappeared. A child table has `_root_id` (the record id), `_parent_id`,"
                        + " `_idx` (position in the array) and `_synced_at`; join a child to its parent on"
                        + " `child._parent_id = parent.id` (root parent) or `= parent._parent_id || '/' || parent._idx`.\n")
                .append("- **Types.** BIGINT; DOUBLE (PostgreSQL `double precision`); BOOLEAN; TIMESTAMP, an instant in UTC"
                        + " (DuckDB `TIMESTAMP`, PostgreSQL `timestamptz`); VARCHAR (PostgreSQL `text`); JSON, an array of"
                        + " scalars kept as JSON text in a VARCHAR/`text` column.\n")
                .append("- **Fields not listed here** (added by the API later) get columns inferred from their values, each"
                        + " recorded in `_schema_changes`. A value contradicting its declared type widens the column (to DOUBLE"
                        + " or VARCHAR) so that nothing is lost, with a `_schema_changes` row and one warning.\n\n");
        Set<String> streams = new LinkedHashSet<>();
        schema.tables().forEach(t -> streams.add(t.stream()));
        md.append("Streams: ");
        int i = 0;
        for (String s : streams) {
            md.append(i++ == 0 ? "" : ", ").append('[').append(s).append("](#").append(s).append(')');
        }
        md.append(".\n");
        for (String stream : streams) {
            md.append("\n## ").append(stream).append("\n");
            for (DeclaredSchema.Table t : schema.tables(stream)) {
                md.append("\n### `").append(t.name()).append("`\n\n");
                if (t.isRoot()) {
                    md.append("One row per record of ").append(t.source()).append(", keyed by `id`.");
                } else {
                    DeclaredSchema.Table parent = schema.table(t.parentPath());
                    md.append("One row per element of `").append(t.source()).append("` in `").append(parent.name())
                            .append("`, keyed by (`_parent_id`, `_idx`).");
                }
                if (!t.description().isEmpty()) {
                    md.append(" Spec title: ").append(cell(t.description())).append('.');
                }
                md.append("\n\n| column | type | source field | description |\n|---|---|---|---|\n");
                for (DeclaredSchema.Column c : t.columns()) {
                    md.append("| `").append(c.name()).append("` | ").append(c.type()).append(" | `").append(c.field()).append("` | ")
                            .append(cell(c.description())).append(" |\n");
                }
            }
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
