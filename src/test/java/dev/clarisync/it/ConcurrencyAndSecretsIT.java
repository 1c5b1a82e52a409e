package dev.clarisync.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.Fault;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes on one warehouse; a distinctive password hunted for in every output, log and table; SIGTERM in run mode. */
class ConcurrencyAndSecretsIT {
    @TempDir
    Path dir;

    @Test
    void should_refuse_a_second_run_on_the_same_duckdb_file_and_corrupt_nothing() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(200).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            Path db = dir.resolve("w.duckdb");
            Map<String, String> env = Map.of("CLARI_API_KEY", config.apiKey(), "CLARI_API_PASSWORD", config.apiPassword());
            String[] args = {"sync", "--clari.api.base-url=" + sim.baseUrl(), "--warehouse.url=jdbc:duckdb:" + db,
                    "--clari.sync.start-date=2015-01-01", "--clari.api.rate-limit=40"};
            Path first = Files.createDirectories(dir.resolve("first"));
            Process running = JarProcess.start(first, List.of("-Xmx256m"), env, args);
            waitForLog(first.resolve("stderr.log"), "sync ", 30);

            Path second = Files.createDirectories(dir.resolve("second"));
            JarProcess.Run refused = JarProcess.run(second, List.of("-Xmx256m"), env, 60, args);
            assertThat(refused.exitCode()).isEqualTo(5);
            assertThat(refused.err()).contains("error: warehouse is in use by another run");

            assertThat(running.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(running.exitValue()).isZero();
            assertThat(Warehouses.scalar(db, "SELECT COUNT(DISTINCT id) FROM calls")).isEqualTo(200);
            assertThat(Warehouses.scalar(db, "SELECT COUNT(*) FROM calls")).isEqualTo(200);
        }
    }

    @Test
    void should_never_show_the_password_in_output_logs_or_tables() throws Exception {
        String key = "key-Q7zXv-distinct";
        String password = "pw-Zebra$Quokka-8841";
        SimulatorConfig config = SimulatorConfig.builder().callCount(60).apiKey(key).apiPassword(password).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            Path db = dir.resolve("w.duckdb");
            sim.faults().enqueue("/calls", Fault.serviceUnavailable()).enqueue("/call-details", Fault.truncated());
            Map<String, String> env = Map.of("CLARI_API_KEY", key, "CLARI_API_PASSWORD", password, "LOG_LEVEL", "DEBUG");
            String[] base = {"--clari.api.base-url=" + sim.baseUrl(), "--warehouse.url=jdbc:duckdb:" + db,
                    "--clari.sync.start-date=2015-01-01", "--clari.api.rate-limit=1000", "--clari.api.retry-delay=PT0.01S"};
            List<String> outputs = new ArrayList<>();
            JarProcess.Run ok = JarProcess.run(dir, List.of(), env, 120, concat("sync", base));
            assertThat(ok.exitCode()).as(ok.err()).isZero();
            outputs.add(ok.out() + ok.err());
            JarProcess.Run check = JarProcess.run(dir, List.of(), env, 120, concat("check", base));
            assertThat(check.exitCode()).as(check.err()).isZero();
            outputs.add(check.out() + check.err());
            // a rejected password (the key is right): its error path must not echo it either
            Map<String, String> wrong = Map.of("CLARI_API_KEY", key, "CLARI_API_PASSWORD", password + "-old", "LOG_LEVEL", "DEBUG");
            JarProcess.Run rejected = JarProcess.run(dir, List.of(), wrong, 120, concat("sync", base));
            assertThat(rejected.exitCode()).isEqualTo(3);
            outputs.add(rejected.out() + rejected.err());

            for (String text : outputs) {
                assertThat(text).doesNotContain(password).doesNotContain(key);
            }
            assertThat(outputs.get(0)).contains("DEBUG"); // the hunt covered debug logging too
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement()) {
                List<String[]> columns = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT table_name, column_name FROM information_schema.columns "
                        + "WHERE data_type = 'VARCHAR' AND table_schema = 'main'")) {
                    while (rs.next()) {
                        columns.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
                assertThat(columns).hasSizeGreaterThan(50);
                for (String[] col : columns) {
                    String sql = "SELECT COUNT(*) FROM \"" + col[0] + "\" WHERE \"" + col[1] + "\" LIKE '%" + password + "%' OR \""
                            + col[1] + "\" LIKE '%" + key + "%'";
                    try (ResultSet rs = s.executeQuery(sql)) {
                        rs.next();
                        assertThat(rs.getLong(1)).as("%s.%s holds a secret", col[0], col[1]).isZero();
                    }
                }
            }
        }
    }

    @Test
    void should_stop_run_mode_cleanly_on_sigterm_and_leave_a_resumable_warehouse() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(300).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            Path db = dir.resolve("w.duckdb");
            Map<String, String> env = Map.of("CLARI_API_KEY", config.apiKey(), "CLARI_API_PASSWORD", config.apiPassword());
            String[] base = {"--clari.api.base-url=" + sim.baseUrl(), "--warehouse.url=jdbc:duckdb:" + db,
                    "--clari.sync.start-date=2015-01-01", "--clari.api.rate-limit=30", "--management.port=0"};
            Path runDir = Files.createDirectories(dir.resolve("run"));
            Process service = JarProcess.start(runDir, List.of("-Xmx256m"), env, concat("run", base));
            waitForLog(runDir.resolve("stderr.log"), "call_details: ", 60);
            service.destroy(); // SIGTERM
            assertThat(service.waitFor(60, TimeUnit.SECONDS)).as("stops within the graceful shutdown timeout").isTrue();

            JarProcess.Run resumed = JarProcess.run(dir, List.of("-Xmx256m"), env, 180, concat("sync", base));
            assertThat(resumed.exitCode()).as(resumed.err()).isZero();
            assertThat(Warehouses.scalar(db, "SELECT COUNT(*) FROM calls")).isEqualTo(300);
            assertThat(Warehouses.scalar(db, "SELECT COUNT(*) FROM _details_backlog")).isZero();
            assertThat(Warehouses.scalar(db, "SELECT COUNT(*) - COUNT(DISTINCT id) FROM call_details")).isZero();
        }
    }

    static String[] concat(String command, String[] rest) {
        String[] out = new String[rest.length + 1];
        out[0] = command;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    static void waitForLog(Path log, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' in " + log + " after " + seconds + " s: " + (Files.exists(log) ? Files.readString(log) : ""));
    }
}
