package dev.clarisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.SyncHarness;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.cli.ExitCodes;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as users script it: help, check, and the one-line errors with their exit codes. */
class CommandsTest {
    @TempDir
    Path dir;

    @Test
    void should_print_help_for_the_tool_and_for_each_command() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(1).build(), dir)) {
            SyncHarness.Result general = h.runWith(Map.of(), "--help");
            assertThat(general.exitCode()).isZero();
            assertThat(general.out()).contains("Commands:", "sync", "run", "check", "demo", "report", "Exit codes");
            SyncHarness.Result sync = h.runWith(Map.of(), "sync", "--help");
            assertThat(sync.exitCode()).isZero();
            assertThat(sync.out()).startsWith("Usage: java -jar clari-copilot-connector.jar sync");
        }
    }

    @Test
    void should_reject_an_unknown_command_in_one_line() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(1).build(), dir)) {
            SyncHarness.Result r = h.runWith(Map.of(), "synchronise");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
            assertThat(r.err()).contains("error: configuration: command: unknown command 'synchronise'");
        }
    }

    @Test
    void should_check_credentials_and_warehouse() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(5).build(), dir)) {
            SyncHarness.Result ok = h.run("check");
            assertThat(ok.exitCode()).as(ok.err()).isZero();
            assertThat(ok.out()).contains("warehouse: ok (duckdb", "writable").contains("clari api: ok (" + h.sim.baseUrl());
            // the credentials' one request, then each configured stream's endpoint once (calls' included)
            assertThat(h.sim.requests().count("/calls")).isEqualTo(2);
            assertThat(ok.out()).contains("stream scorecards: readable (/scorecard)");

            SyncHarness.Result rejected = h.runWith(Map.of("CLARI_API_KEY", "k", "CLARI_API_PASSWORD", "nope"), "check");
            assertThat(rejected.exitCode()).isEqualTo(ExitCodes.CREDENTIALS_REJECTED);
            assertThat(rejected.err()).contains("error: Clari rejected the credentials (HTTP 401 on GET /calls?limit=1)");
        }
    }

    @Test
    void should_say_the_warehouse_is_unreachable_without_showing_its_password() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(5).build(), dir)) {
            SyncHarness.Result r = h.runWith(Map.of("CLARI_API_KEY", "sim-key", "CLARI_API_PASSWORD", "sim-password",
                    "WAREHOUSE_PASSWORD", "Db-Secret-7781"), "sync", "--warehouse.url=jdbc:postgresql://127.0.0.1:1/analytics",
                    "--warehouse.user=loader");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.err()).contains("error: warehouse unavailable:").doesNotContain("Db-Secret-7781").doesNotContain("\tat ");
            assertThat(h.sim.requests().total()).as("no API request before the warehouse is known to work").isZero();
        }
    }
}
