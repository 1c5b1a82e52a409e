package dev.clarisync.cli;

import dev.clarisync.config.SettingsException;
import dev.clarisync.config.SettingsSource;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds the warehouse for the commands that only read one ({@code report}, {@code sql}). With the default
 * {@code warehouse.url} and no file there yet, but a warehouse written by {@code demo}, they read the demo's and
 * say so on stderr: right after the quick start, {@code report} and {@code sql} just work. Otherwise a missing
 * DuckDB file is an error that says which flag to pass; opening it would create an empty warehouse.
 */
public final class WarehouseLookup {
    private static final String DUCKDB = "jdbc:duckdb:";

    private WarehouseLookup() {
    }

    /** {@code props} with {@code warehouse.url} pointing at an existing DuckDB file (relative paths taken from {@code workDir}). */
    public static Map<String, String> forReading(Map<String, String> props, Path workDir, PrintStream err) {
        String url = absolute(props.get("warehouse.url"), workDir);
        Map<String, String> out = new LinkedHashMap<>(props);
        out.put("warehouse.url", url);
        Path file = file(url);
        if (file == null || Files.exists(file)) {
            return out;
        }
        String demoUrl = props.getOrDefault("demo.warehouse-url", SettingsSource.packagedDefault("demo.warehouse-url"));
        Path demoFile = file(absolute(demoUrl, workDir));
        if (props.get("warehouse.url").equals(SettingsSource.packagedDefault("warehouse.url")) && demoFile != null
                && Files.exists(demoFile)) {
            err.println("note: no warehouse at " + file + " yet (sync writes it); reading the demo's, " + demoFile
                    + " (choose another with --warehouse.url=jdbc:duckdb:FILE)");
            out.put("warehouse.url", absolute(demoUrl, workDir));
            return out;
        }
        throw SettingsException.plain("warehouse.url", "there is no warehouse at " + file + ": run sync first, or pass"
                + " --warehouse.url=jdbc:duckdb:FILE naming the DuckDB file to read (demo writes --warehouse.url=" + demoUrl + ")");
    }

    /** Opens the warehouse of {@code settings} for {@code report}, waiting up to {@code wait} while a sync has it. */
    public static java.util.function.Supplier<dev.clarisync.warehouse.Warehouse> opener(dev.clarisync.config.ConnectorSettings settings,
                                                                                  java.time.Duration wait, PrintStream err) {
        return () -> WarehouseWait.of(wait, err).run(() -> dev.clarisync.warehouse.Warehouse.open(settings.warehouseUrl(),
                settings.warehouseUser(), settings.warehousePassword().reveal(), settings.warehouseSchema()));
    }

    /** The DuckDB file of a URL, or null for another database or an in-memory DuckDB. */
    static Path file(String url) {
        if (url == null || !url.startsWith(DUCKDB)) {
            return null;
        }
        String path = pathPart(url);
        return path.isEmpty() || path.startsWith(":memory:") ? null : Path.of(path);
    }

    /** A DuckDB URL with a relative file made absolute against {@code workDir} (the process's directory in production). */
    static String absolute(String url, Path workDir) {
        Path file = file(url);
        if (file == null || file.isAbsolute()) {
            return url;
        }
        String path = pathPart(url);
        return DUCKDB + workDir.resolve(file).normalize() + url.substring(DUCKDB.length() + path.length());
    }

    private static String pathPart(String url) {
        String rest = url.substring(DUCKDB.length());
        int cut = rest.length();
        for (char c : new char[] {'?', ';'}) {
            int i = rest.indexOf(c);
            cut = i >= 0 ? Math.min(cut, i) : cut;
        }
        return rest.substring(0, cut);
    }
}
