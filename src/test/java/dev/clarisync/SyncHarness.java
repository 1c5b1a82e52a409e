package dev.clarisync;

import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs connector commands in-process exactly as {@code java -jar} would ({@link Launcher#run}), with
 * the real {@code routes/} folder, against a real simulator on loopback and a real DuckDB file, and
 * reads the results back with plain JDBC (independent of the connector's own warehouse code).
 */
public final class SyncHarness implements AutoCloseable {
    public final ClariSimulator sim;
    public final SimulatorConfig config;
    public final Path dir;
    public final Path db;
    private final Map<String, String> options = new LinkedHashMap<>();

    /** Result of one command. */
    public record Result(int exitCode, String out, String err) {
    }

    public SyncHarness(SimulatorConfig config, Path dir) {
        this.config = config;
        this.sim = ClariSimulator.start(config);
        this.dir = dir;
        this.db = dir.resolve("test.duckdb");
        options.put("clari.api.base-url", sim.baseUrl().toString());
        options.put("warehouse.url", "jdbc:duckdb:" + db);
        options.put("clari.api.rate-limit", "1000");
        options.put("clari.sync.start-date", "2015-01-01");
        // fast retries in tests; the policy itself is unit-tested with production values
        options.put("clari.api.retry-delay", "PT0.01S");
        options.put("clari.api.max-retry-delay", "PT0.1S");
        options.put("clari.api.throttle-delay", "PT0.05S");
        options.put("clari.api.throttle-pause", "PT0.05S");
    }

    public SyncHarness option(String key, String value) {
        options.put(key, value);
        return this;
    }

    public Result run(String command, String... extra) {
        return runWith(Map.of("CLARI_API_KEY", config.apiKey(), "CLARI_API_PASSWORD", config.apiPassword()), command, extra);
    }

    public Result runWith(Map<String, String> env, String command, String... extra) {
        List<String> args = new ArrayList<>();
        args.add(command);
        options.forEach((k, v) -> args.add("--" + k + "=" + v));
        args.addAll(List.of(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (LogCapture logs = LogCapture.start()) {
            code = Launcher.run(args.toArray(String[]::new), env, dir,
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            // err = what a terminal's stderr shows: the log lines, then the command's own error line
            return new Result(code, out.toString(StandardCharsets.UTF_8), logs.text() + err.toString(StandardCharsets.UTF_8));
        }
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:" + db);
    }

    public long scalar(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public List<String> strings(String sql) {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public boolean tableExists(String table) {
        return scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '" + table + "'") > 0;
    }

    @Override
    public void close() {
        sim.close();
    }
}
