package dev.clarisync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.config.SettingsException;
import dev.clarisync.warehouse.ParquetExport;
import dev.clarisync.warehouse.Warehouse;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code export --format=parquet --to=DIR [--tables=a,b] [--since-last]}: writes tables as Parquet under
 * {@code DIR/<table>/} ({@link ParquetExport}) and {@code DIR/_manifest.json}: per table its path, partition column,
 * row count, columns and types, and each partition's rows and fingerprint; the warehouse's last successful sync.
 *
 * <p>{@code --since-last} reads the previous manifest and rewrites only the partitions whose fingerprint changed
 * (new ones included), deletes the folders of partitions that are gone, and rewrites a table whole when its columns
 * changed or it was not in the previous export. Without a previous manifest it exports everything.
 */
public final class ExportCommand {
    static final String MANIFEST = "_manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportCommand() {
    }

    /** The export's own options, taken from the command line's arguments. */
    record Options(Path to, List<String> tables, boolean sinceLast) {
        static Options parse(List<String> arguments) {
            Path to = null;
            List<String> tables = List.of();
            boolean sinceLast = false;
            for (String a : arguments) {
                if (a.equals("--since-last")) {
                    sinceLast = true;
                } else if (a.startsWith("--to=")) {
                    String v = a.substring(5).trim();
                    if (v.isEmpty()) {
                        throw SettingsException.plain("to", "--to needs a directory: export --format=parquet --to=./lake");
                    }
                    to = Path.of(v);
                } else if (a.startsWith("--tables=")) {
                    tables = Arrays.stream(a.substring(9).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                } else {
                    throw SettingsException.plain("command", "unexpected argument '" + a + "' for export; see export --help");
                }
            }
            if (to == null) {
                throw SettingsException.plain("to", "export needs --to=DIR: the directory to write the Parquet files to");
            }
            return new Options(to, tables, sinceLast);
        }
    }

    public static int run(Supplier<Warehouse> open, List<String> arguments, Path workDir, PrintStream out, PrintStream err) throws IOException {
        Options o = Options.parse(arguments);
        Path dir = workDir.resolve(o.to()).toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw SettingsException.plain("to", "--to must be a directory, and " + dir + " is a file");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw SettingsException.plain("to", "cannot create the export directory " + dir + " (" + e.getClass().getSimpleName() + ")");
        }
        if (!Files.isWritable(dir)) {
            throw SettingsException.plain("to", "the export directory " + dir + " is not writable");
        }
        JsonNode previous = o.sinceLast() ? previousManifest(dir, err) : null;
        try (Warehouse w = open.get()) {
            ParquetExport export = new ParquetExport(w, err::println);
            List<String> all = export.exportableTables();
            for (String t : o.tables()) {
                if (!all.contains(t)) {
                    throw SettingsException.plain("tables", "no table '" + t + "' to export (tables: " + String.join(",", all) + ")");
                }
            }
            List<String> tables = o.tables().isEmpty() ? all : List.copyOf(new LinkedHashSet<>(o.tables()));
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("format", "parquet");
            manifest.put("exported_at", w.now().toString());
            Instant lastSync = export.lastSync();
            manifest.put("last_sync", lastSync == null ? null : lastSync.toString());
            manifest.put("warehouse", w.describe());
            manifest.put("since_last", previous != null);
            ArrayNode list = manifest.putArray("tables");
            long rows = 0;
            int written = 0;
            for (String table : tables) {
                Map<String, ParquetExport.Partition> now = export.fingerprints(table);
                JsonNode before = previous == null ? null : tableIn(previous, table);
                Set<String> changed = null; // null: the whole table
                if (before != null && sameColumns(before, w.columns(table))) {
                    Map<String, String> old = new HashMap<>();
                    before.path("partitions").forEach(p -> old.put(p.path("name").asText(), p.path("fingerprint").asText()));
                    changed = new LinkedHashSet<>();
                    for (Map.Entry<String, ParquetExport.Partition> e : now.entrySet()) {
                        if (!e.getValue().fingerprint().equals(old.get(e.getKey()))) {
                            changed.add(e.getKey());
                        }
                    }
                    for (String gone : old.keySet()) {
                        if (!now.containsKey(gone)) {
                            export.dropPartition(table, dir, gone);
                        }
                    }
                }
                List<ParquetExport.Column> columns;
                if (changed != null && changed.isEmpty()) {
                    columns = new ArrayList<>();
                    before.path("columns").forEach(c -> columns.add(new ParquetExport.Column(c.path("name").asText(), c.path("type").asText())));
                    err.println("export: " + table + " unchanged since the last export");
                } else {
                    columns = export.write(table, dir, changed);
                    written++;
                }
                long tableRows = now.values().stream().mapToLong(ParquetExport.Partition::rows).sum();
                rows += tableRows;
                list.add(entry(table, export.partitioned(table), tableRows, columns, now, w.columns(table)));
            }
            writeManifest(dir, manifest);
            out.println("Exported " + tables.size() + " tables (" + rows + " rows; " + written + " written, "
                    + (tables.size() - written) + " unchanged) as Parquet to " + dir + " (manifest: " + MANIFEST + ")");
            return ExitCodes.OK;
        }
    }

    private static ObjectNode entry(String table, boolean partitioned, long rows, List<ParquetExport.Column> columns,
                                    Map<String, ParquetExport.Partition> partitions, List<String> sourceColumns) {
        ObjectNode t = JSON.createObjectNode();
        t.put("name", table);
        t.put("path", table + "/");
        t.put("partitioned_by", partitioned ? ParquetExport.PARTITION : null);
        t.put("rows", rows);
        ArrayNode cols = t.putArray("columns");
        columns.forEach(c -> cols.addObject().put("name", c.name()).put("type", c.type()));
        ArrayNode source = t.putArray("source_columns"); // the warehouse's, to notice a schema change next time
        sourceColumns.forEach(source::add);
        ArrayNode parts = t.putArray("partitions");
        partitions.forEach((name, p) -> parts.addObject().put("name", name).put("rows", p.rows()).put("fingerprint", p.fingerprint()));
        return t;
    }

    private static JsonNode previousManifest(Path dir, PrintStream err) {
        Path file = dir.resolve(MANIFEST);
        if (!Files.exists(file)) {
            err.println("export: no " + MANIFEST + " in " + dir + " yet: exporting everything");
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw SettingsException.plain("since-last", "cannot read " + file + " (" + e.getClass().getSimpleName()
                    + "): delete it, or export without --since-last");
        }
    }

    private static JsonNode tableIn(JsonNode manifest, String table) {
        for (JsonNode t : manifest.path("tables")) {
            if (table.equals(t.path("name").asText())) {
                return t;
            }
        }
        return null;
    }

    private static boolean sameColumns(JsonNode before, List<String> now) {
        List<String> old = new ArrayList<>();
        before.path("source_columns").forEach(c -> old.add(c.asText()));
        return old.equals(now);
    }

    /** Written to a sibling and renamed: a reader never sees half a manifest. */
    private static void writeManifest(Path dir, ObjectNode manifest) throws IOException {
        Path tmp = dir.resolve("." + MANIFEST + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), manifest);
        Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
