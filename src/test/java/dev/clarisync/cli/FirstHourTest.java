package dev.clarisync.cli;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import dev.clarisync.Launcher;
import dev.clarisync.LogCapture;
import dev.clarisync.SyncHarness;
import dev.clarisync.camel.ConnectorApplication;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.SettingsSource;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.cli.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.component.http.HttpComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user and an operator meet in the first hour (issue 18): typos in keys, secrets from files and the
 * command line, {@code check} against a host that is not there, and one failure message per failed run. Every
 * command runs in-process through {@link Launcher#run} against the simulator on loopback and real DuckDB files.
 */
class FirstHourTest {
    @TempDir
    Path dir;

    SyncHarness harness(int calls) {
        return new SyncHarness(SimulatorConfig.builder().callCount(calls).build(), dir);
    }

    /** Runs a command with exactly these arguments (no harness options), in {@code dir}. */
    SyncHarness.Result bare(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (LogCapture logs = LogCapture.start()) {
            int code = Launcher.run(args, env, dir, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            return new SyncHarness.Result(code, out.toString(StandardCharsets.UTF_8), logs.text() + err.toString(StandardCharsets.UTF_8));
        }
    }

    /** A loopback port nothing listens on (just released). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static long lines(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).count();
    }

    @Test
    void should_stop_on_a_mistyped_key_on_the_command_line_with_a_suggestion() {
        try (SyncHarness h = harness(5)) {
            SyncHarness.Result r = h.run("sync", "--clari.sync.lookbak=P1D");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
            assertThat(r.err().strip()).isEqualTo("error: configuration: unknown key clari.sync.lookbak (did you mean clari.sync.lookback?)");
            assertThat(h.sim.requests().total()).as("nothing is sent with a configuration the user did not mean").isZero();
        }
    }

    @Test
    void should_stop_on_a_mistyped_key_in_application_properties() throws IOException {
        Files.writeString(dir.resolve("application.properties"), "warehouse.schema=\nwarehouse.shema=analytics\n");
        SyncHarness.Result r = bare(Map.of(), "report");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
        assertThat(r.err()).contains("error: configuration: unknown key warehouse.shema (did you mean warehouse.schema?)");
        assertThat(lines(r.err(), "error:")).isEqualTo(1);
    }

    @Test
    void should_warn_about_a_secret_on_the_command_line_and_still_use_it() {
        try (SyncHarness h = harness(3)) {
            SyncHarness.Result r = h.runWith(Map.of("CLARI_API_KEY", h.config.apiKey()), "check",
                    "--clari.api.password=" + h.config.apiPassword());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains("warning: --clari.api.password on the command line is visible to other users of this"
                    + " machine (ps); set env CLARI_API_PASSWORD, or CLARI_API_PASSWORD_FILE naming a file that holds it instead");
            assertThat(r.err()).doesNotContain(h.config.apiPassword());
        }
    }

    @Test
    void should_read_the_api_credentials_from_files_named_by_the_FILE_variables() throws IOException {
        try (SyncHarness h = harness(3)) {
            Path key = Files.writeString(dir.resolve("key"), h.config.apiKey() + "\n");
            Path password = Files.writeString(dir.resolve("password"), h.config.apiPassword() + "\r\n");
            SyncHarness.Result r = h.runWith(Map.of("CLARI_API_KEY_FILE", key.toString(), "CLARI_API_PASSWORD_FILE", password.toString()),
                    "check");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("clari api: ok");
            assertThat(r.err()).doesNotContain("warning:");
        }
    }

    @Test
    void should_name_the_FILE_variable_whose_file_cannot_be_read() {
        try (SyncHarness h = harness(1)) {
            SyncHarness.Result r = h.runWith(Map.of("CLARI_API_KEY", "k", "CLARI_API_PASSWORD", "p",
                    "WAREHOUSE_PASSWORD_FILE", dir.resolve("absent").toString()), "check");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
            assertThat(r.err().strip()).startsWith("error: configuration: WAREHOUSE_PASSWORD_FILE: cannot read the secret file");
            SyncHarness.Result both = h.runWith(Map.of("CLARI_API_KEY", "k", "CLARI_API_PASSWORD", "p",
                    "CLARI_API_PASSWORD_FILE", dir.resolve("absent").toString()), "check");
            assertThat(both.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
            assertThat(both.err()).contains("both CLARI_API_PASSWORD and CLARI_API_PASSWORD_FILE are set");
        }
    }

    @Test
    void should_say_where_credentials_come_from_without_suggesting_the_command_line() {
        try (SyncHarness h = harness(1)) {
            SyncHarness.Result r = h.runWith(Map.of(), "sync");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
            assertThat(r.err()).contains("clari.api.key: is required").contains("set env CLARI_API_KEY, or CLARI_API_KEY_FILE naming a file")
                    .doesNotContain("--clari.api.key");
        }
    }

    @Test
    void should_answer_check_within_ten_seconds_when_the_api_port_is_closed() throws IOException {
        int closed = closedPort();
        try (SyncHarness h = harness(1)) {
            h.option("clari.api.base-url", "http://127.0.0.1:" + closed);
            long start = System.nanoTime();
            SyncHarness.Result r = h.run("check");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(millis).as("check took %d ms", millis).isLessThan(10_000);
            assertThat(lines(r.err(), "error:")).isEqualTo(1);
            assertThat(r.err()).contains("error: cannot reach the Clari API at http://127.0.0.1:" + closed + " (connection refused)");
            assertThat(r.err()).doesNotContain("retry 1/");
        }
    }

    @Test
    void should_answer_check_within_ten_seconds_when_the_host_cannot_be_resolved() {
        // .invalid never resolves (RFC 2606). A silent host (connect timeout) cannot be tested here: this
        // machine's egress proxy answers every address
        String base = "http://clari-api.invalid";
        try (SyncHarness h = harness(1)) {
            h.option("clari.api.base-url", base);
            long start = System.nanoTime();
            SyncHarness.Result r = h.run("check");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(millis).as("check took %d ms", millis).isLessThan(10_000);
            assertThat(r.err().lines().filter(l -> l.startsWith("error:")).toList()).singleElement(as(STRING))
                    .startsWith("error: cannot reach the Clari API at " + base + " (")
                    .containsAnyOf("unknown host", "no answer within 5 s", "no route to host", "connect timeout");
            assertThat(h.sim.requests().total()).isZero();
        }
    }

    @Test
    void should_bound_each_connection_attempt_by_the_api_timeout() throws Exception {
        Map<String, String> props = SettingsSource.resolve(Map.of("clari.api.timeout", "PT7S",
                "warehouse.url", "jdbc:duckdb:" + dir.resolve("w.duckdb")), Map.of(), dir);
        try (ConnectorApplication app = ConnectorApplication.start(ConnectorSettings.from(props, false), "check")) {
            assertThat(app.context().getComponent("http", HttpComponent.class).getConnectTimeout()).isEqualTo(7_000);
        }
    }

    @Test
    void should_say_what_sync_waits_for_when_the_api_is_unreachable() throws IOException {
        int closed = closedPort();
        try (SyncHarness h = harness(1)) {
            h.option("clari.api.base-url", "http://127.0.0.1:" + closed).option("clari.api.max-retries", "2");
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.err()).contains("failed (API unreachable (connection refused)); retry 1/2 in")
                    .contains("failed (API unreachable (connection refused)); retry 2/2 in");
        }
    }

    @Test
    void should_print_the_reason_of_a_failed_run_once_with_plurals_right() {
        try (SyncHarness h = harness(3)) {
            SyncHarness.Result r = h.runWith(Map.of("CLARI_API_KEY", "k", "CLARI_API_PASSWORD", "wrong"), "sync");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.CREDENTIALS_REJECTED);
            String all = r.out() + r.err();
            Matcher m = Pattern.compile("Clari rejected the credentials").matcher(all);
            int times = 0;
            while (m.find()) {
                times++;
            }
            assertThat(times).as(all).isEqualTo(1);
            assertThat(r.out()).contains("sync failed (exit 3) — ").contains(" 1 request, 0 retries, 0 calls seen");
        }
    }

    @Test
    void should_query_the_warehouse_read_only_as_a_table_csv_and_json() {
        try (SyncHarness h = harness(12)) {
            assertThat(h.run("sync").exitCode()).isZero();
            SyncHarness.Result table = h.run("sql", "SELECT count(*) AS n, 'a|b' AS s FROM calls");
            assertThat(table.exitCode()).as(table.err()).isZero();
            assertThat(table.out()).isEqualTo(" n  | s\n----+-----\n 12 | a|b\n(1 row)\n");

            SyncHarness.Result csv = h.run("sql", "SELECT 1 AS a, 'x,\"y\"' AS b, NULL AS c", "--format=csv");
            assertThat(csv.out()).isEqualTo("a,b,c\r\n1,\"x,\"\"y\"\"\",\r\n");

            SyncHarness.Result json = h.run("sql", "SELECT id, true AS t, NULL AS n FROM calls ORDER BY id LIMIT 2", "--format=json");
            assertThat(json.out().lines()).hasSize(2).allMatch(l -> l.matches("\\{\"id\":\"[^\"]+\",\"t\":true,\"n\":null}"));
        }
    }

    @Test
    void should_refuse_a_bad_query_and_any_write_with_exit_2_and_one_line() {
        try (SyncHarness h = harness(4)) {
            assertThat(h.run("sync").exitCode()).isZero();
            SyncHarness.Result bad = h.run("sql", "SELECT nope FROM calls");
            assertThat(bad.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
            assertThat(lines(bad.err(), "error:")).isEqualTo(1);
            assertThat(bad.err()).contains("nope").doesNotContain("\tat ");

            SyncHarness.Result write = h.run("sql", "DELETE FROM calls");
            assertThat(write.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
            assertThat(write.err()).containsIgnoringCase("read-only");
            assertThat(h.scalar("SELECT count(*) FROM calls")).isEqualTo(4);
        }
    }

    @Test
    void should_read_the_demos_warehouse_when_none_is_configured_or_say_which_flag_to_pass() {
        SyncHarness.Result missing = bare(Map.of(), "sql", "SELECT 1");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
        assertThat(missing.err().strip()).isEqualTo("error: configuration: there is no warehouse at " + dir.resolve("data/clari.duckdb")
                + ": run sync first, or pass --warehouse.url=jdbc:duckdb:FILE naming the DuckDB file to read"
                + " (demo writes --warehouse.url=jdbc:duckdb:./data/demo.duckdb)");

        // what demo leaves behind: ./data/demo.duckdb, and no ./data/clari.duckdb
        try (SyncHarness h = harness(6)) {
            h.option("warehouse.url", "jdbc:duckdb:" + dir.resolve("data/demo.duckdb"));
            assertThat(h.run("sync").exitCode()).isZero();
        }
        SyncHarness.Result r = bare(Map.of(), "sql", "SELECT count(*) AS calls FROM calls", "--format=csv");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("calls\r\n6\r\n");
        assertThat(r.err()).contains("note: no warehouse at " + dir.resolve("data/clari.duckdb") + " yet");
        assertThat(Files.exists(dir.resolve("data/clari.duckdb"))).as("reading creates nothing").isFalse();

        SyncHarness.Result report = bare(Map.of(), "report", "--report.out=" + dir.resolve("r.html"));
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(dir.resolve("r.html")).exists();
    }
}
