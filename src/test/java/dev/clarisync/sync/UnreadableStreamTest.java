package dev.clarisync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.SyncHarness;
import dev.clarisync.sim.Fault;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An account without a feature: {@code /scorecard} answers 403 (or 404) while every other endpoint accepts the same
 * credentials. The default sync skips scorecards with one warning, lands every other stream exactly as a sync of an
 * account with the feature does, and exits 0; the next run asks again. Rejected credentials and a wrong base URL still
 * fail as before.
 */
class UnreadableStreamTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {403, 404})
    void should_skip_a_stream_the_account_cannot_read_and_sync_every_other_exactly(int status) throws Exception {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(120).build(), dir)) {
            // what an account with the feature gets, into a warehouse of its own
            Path full = dir.resolve("full.duckdb");
            SyncHarness.Result baseline = h.run("sync", "--warehouse.url=jdbc:duckdb:" + full);
            assertThat(baseline.exitCode()).as(baseline.err()).isZero();

            h.sim.faults().always("/scorecard", status == 403 ? Fault.forbidden() : Fault.status(404, "{\"message\":\"Not Found\"}"));
            String answer = status == 403 ? "HTTP 403: Forbidden" : "HTTP 404: Not Found";
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).startsWith("sync ok").contains("; scorecards unavailable (" + answer + ")");
            assertThat(r.err().lines().filter(l -> l.contains("WARN")).toList()).as(r.err()).hasSize(1).first().asString()
                    .contains("scorecards: skipped: this account cannot read /scorecard (Clari answered " + answer + ")");
            assertThat(h.tableExists("scorecards")).isFalse();
            assertThat(h.strings("SELECT message FROM _sync_runs WHERE outcome = 'succeeded' ORDER BY started_at DESC LIMIT 1"))
                    .containsExactly("ok; scorecards unavailable (" + answer + ")");

            Map<String, Map<String, List<String>>> expected = dataTables(full);
            Map<String, Map<String, List<String>>> landed = dataTables(h.db);
            expected.keySet().removeIf(t -> t.startsWith("scorecards"));
            assertThat(landed).isEqualTo(expected);
            assertThat(landed.keySet()).contains("users", "calls", "call_details", "call_details__transcript", "scorecard_templates", "topics");

            // the next run asks again; once the account has the feature, scorecards land
            long asked = h.sim.requests().count("/scorecard");
            h.sim.faults().clear();
            SyncHarness.Result later = h.run("sync");
            assertThat(later.exitCode()).as(later.err()).isZero();
            assertThat(later.out()).doesNotContain("unavailable");
            assertThat(h.sim.requests().count("/scorecard")).isGreaterThan(asked);
            assertThat(h.scalar("SELECT COUNT(*) FROM scorecards")).isEqualTo(h.sim.coaching().scorecardIds().size()).isPositive();
        }
    }

    @Test
    void should_still_fail_with_exit_3_when_every_endpoint_rejects_the_credentials() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(20).build(), dir)) {
            h.sim.faults().always("/scorecard", Fault.forbidden());
            SyncHarness.Result r = h.runWith(Map.of("CLARI_API_KEY", "wrong", "CLARI_API_PASSWORD", h.config.apiPassword()), "sync");
            assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
            assertThat(r.err()).contains("Clari rejected the credentials (HTTP 401 on GET /users)").doesNotContain("skipped");
        }
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(20).forbiddenOnWrongCredentials(true).build(),
                dir.resolve("b"))) {
            SyncHarness.Result r = h.runWith(Map.of("CLARI_API_KEY", "wrong", "CLARI_API_PASSWORD", h.config.apiPassword()), "sync");
            assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
            assertThat(r.err()).contains("HTTP 403 on GET /users");
        }
    }

    @Test
    void should_fail_when_no_endpoint_has_accepted_the_credentials_yet() {
        // scorecards alone: nothing tells a missing feature from rejected credentials, so it fails as a 403 always did
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(20).build(), dir)) {
            h.option("clari.sync.streams", "scorecards");
            h.sim.faults().always("/scorecard", Fault.forbidden());
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        }
    }

    @Test
    void should_keep_exit_2_for_a_wrong_base_url_where_every_endpoint_answers_404() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(20).build(), dir)) {
            h.option("clari.api.base-url", h.sim.baseUrl() + "/v9");
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("check clari.api.base-url");
        }
    }

    @Test
    void should_list_each_stream_as_readable_or_not_in_check() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(20).build(), dir)) {
            h.sim.faults().always("/v2/topics", Fault.status(404, "{\"message\":\"Not Found\"}"));
            SyncHarness.Result r = h.run("check");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("stream users: readable (/users)", "stream calls: readable (/calls)",
                    "stream call_details: readable (/call-details)", "stream scorecards: readable (/scorecard)",
                    "stream scorecard_templates: readable (/scorecard-template)",
                    "stream topics: not readable (HTTP 404: Not Found on /v2/topics): this account lacks the feature; a sync skips it");

            // an endpoint every account has: the check fails as the sync would
            h.sim.faults().clear();
            h.sim.faults().always("/users", Fault.forbidden());
            SyncHarness.Result users = h.run("check");
            assertThat(users.exitCode()).as(users.err()).isEqualTo(3);
            assertThat(users.out()).contains("stream users: not readable (HTTP 403: Forbidden on /users)", "stream topics: readable");
        }
    }

    /** Every data table (bookkeeping left out: run ids, times), as CrossWarehouseTest compares warehouses. */
    private static Map<String, Map<String, List<String>>> dataTables(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db)) {
            Map<String, Map<String, List<String>>> all = new TreeMap<>(CrossWarehouseTest.dump(c, "main"));
            all.keySet().removeIf(t -> t.startsWith("_"));
            return all;
        }
    }
}
