package dev.clarisync.sync;

import dev.clarisync.cli.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.DoubleNode;
import dev.clarisync.SyncHarness;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calls and users streams end to end: the real application and routes/ against the simulator
 * over loopback, into a real DuckDB file. Details are covered by DetailsSyncTest.
 */
class CallsSyncTest {
    @TempDir
    Path dir;

    SyncHarness harness(SimulatorConfig.Builder sim) {
        return new SyncHarness(sim.build(), dir).option("clari.sync.streams", "users,calls");
    }

    @Test
    void should_land_every_call_exactly_once_over_many_pages() {
        try (SyncHarness h = harness(SimulatorConfig.builder().callCount(350))) {
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("sync ok");
            assertThat(h.scalar("SELECT COUNT(*) FROM calls")).isEqualTo(350);
            assertThat(h.scalar("SELECT COUNT(DISTINCT id) FROM calls")).isEqualTo(350);
            assertThat(new HashSet<>(h.strings("SELECT id FROM calls"))).isEqualTo(new HashSet<>(h.sim.data().callIds()));
            long participants = h.sim.data().callIds().stream().mapToLong(id -> h.sim.data().listItem(id).path("users").size()).sum();
            assertThat(h.scalar("SELECT COUNT(*) FROM calls__users")).isEqualTo(participants);
            assertThat(h.scalar("SELECT COUNT(*) FROM users")).isEqualTo(h.sim.data().users().size());
            assertThat(h.sim.requests().count("/calls")).isEqualTo(4); // 350 calls, 100 a page
            assertThat(h.scalar("SELECT COUNT(*) FROM _sync_runs WHERE outcome = 'succeeded'")).isEqualTo(1);
        }
    }

    @Test
    void should_sync_an_empty_account() {
        try (SyncHarness h = harness(SimulatorConfig.builder().callCount(0))) {
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(h.tableExists("calls")).isFalse();
            assertThat(h.strings("SELECT value FROM _sync_state WHERE stream = 'calls' AND key = 'cursor'")).hasSize(1);
        }
    }

    @Test
    void should_split_windows_above_the_offset_cap_and_land_everything() {
        try (SyncHarness h = harness(SimulatorConfig.builder().callCount(1_000).maxSkip(200))) {
            h.option("clari.api.max-skip", "200");
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains("above the offset cap of 200: split in two");
            assertThat(h.scalar("SELECT COUNT(DISTINCT id) FROM calls")).isEqualTo(1_000);
            assertThat(h.scalar("SELECT COUNT(*) FROM calls")).isEqualTo(1_000);
            assertThat(h.sim.requests().countStatus(400)).as("never asked past the cap").isZero();
        }
    }

    @Test
    void should_neither_lose_nor_duplicate_a_call_that_changes_status_mid_scan() {
        try (SyncHarness h = harness(SimulatorConfig.builder().callCount(350))) {
            // sorted by time ascending, the earliest call is on page 1; moving it while page 3 is asked shifts every offset
            String earliest = h.sim.data().callIds().stream()
                    .min((a, b) -> h.sim.data().listItem(a).get("time").asText().compareTo(h.sim.data().listItem(b).get("time").asText()))
                    .orElseThrow();
            h.sim.onCallsRequest(3, () -> h.sim.data().changeStatus(earliest, "POST_PROCESSING_DONE"));
            SyncHarness.Result first = h.run("sync");
            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(first.err()).contains("rescanning");
            Set<String> landed = new HashSet<>(h.strings("SELECT id FROM calls"));
            Set<String> expected = new HashSet<>(h.sim.data().callIds());
            expected.remove(earliest); // left the frozen window: owed to the next run, not lost
            assertThat(landed).containsAll(expected);

            SyncHarness.Result second = h.run("sync");
            assertThat(second.exitCode()).as(second.err()).isZero();
            assertThat(h.scalar("SELECT COUNT(*) FROM calls")).isEqualTo(350);
            assertThat(h.scalar("SELECT COUNT(*) FROM calls WHERE id = '" + earliest + "'")).isEqualTo(1);
            assertThat(h.strings("SELECT CAST(last_modified_time AS VARCHAR) FROM calls WHERE id = '" + earliest + "'").get(0))
                    .startsWith(h.sim.data().listItem(earliest).get("last_modified_time").asText().substring(0, 10));
        }
    }

    @Test
    void should_not_rewrite_unchanged_calls_on_rerun() {
        try (SyncHarness h = harness(SimulatorConfig.builder().callCount(150))) {
            assertThat(h.run("sync").exitCode()).isZero();
            String syncedAt = h.strings("SELECT CAST(MAX(_synced_at) AS VARCHAR) FROM calls").get(0);
            SyncHarness.Result again = h.run("sync");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).contains("rows written: none (nothing changed)");
            assertThat(h.scalar("SELECT COUNT(*) FROM calls")).isEqualTo(150);
            assertThat(h.strings("SELECT CAST(MAX(_synced_at) AS VARCHAR) FROM calls").get(0)).isEqualTo(syncedAt);
        }
    }

    @Test
    void should_rewrite_a_call_whose_status_changed_and_replace_its_children() {
        try (SyncHarness h = harness(SimulatorConfig.builder().callCount(120))) {
            assertThat(h.run("sync").exitCode()).isZero();
            String id = h.sim.data().callIds().get(5);
            h.sim.data().changeStatus(id, "ERROR_IN_PROCESSING");
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(h.strings("SELECT status FROM calls WHERE id = '" + id + "'")).containsExactly("ERROR_IN_PROCESSING");
            assertThat(h.scalar("SELECT COUNT(*) FROM calls__users WHERE _parent_id = '" + id + "'"))
                    .isEqualTo(h.sim.data().listItem(id).path("users").size());
            assertThat(r.out()).contains("1 new or changed");
        }
    }

    @Test
    void should_add_a_column_when_an_unknown_field_appears() {
        try (SyncHarness h = harness(SimulatorConfig.builder().callCount(50))) {
            assertThat(h.run("sync").exitCode()).isZero();
            String id = h.sim.data().callIds().get(0);
            h.sim.data().setExtraField(id, "sentimentScore", DoubleNode.valueOf(0.75));
            h.sim.data().touch(id);
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(h.strings("SELECT CAST(sentiment_score AS VARCHAR) FROM calls WHERE id = '" + id + "'")).containsExactly("0.75");
            assertThat(h.scalar("SELECT COUNT(*) FROM calls WHERE sentiment_score IS NULL")).isEqualTo(49);
            assertThat(h.scalar("SELECT COUNT(*) FROM _schema_changes WHERE table_name = 'calls' AND column_name = 'sentiment_score'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void should_stop_on_rejected_credentials_with_exit_3_and_write_no_data() {
        try (SyncHarness h = harness(SimulatorConfig.builder().callCount(50))) {
            SyncHarness.Result r = h.runWith(java.util.Map.of("CLARI_API_KEY", "wrong", "CLARI_API_PASSWORD", "wrong-too"), "sync");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.CREDENTIALS_REJECTED);
            assertThat(r.err()).contains("error: Clari rejected the credentials (HTTP 401").contains("CLARI_API_KEY");
            assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(h.tableExists("calls")).isFalse();
            assertThat(h.tableExists("users")).isFalse();
            assertThat(h.scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_name LIKE 'v\\_%' ESCAPE '\\'"))
                    .as("no views either").isZero();
            assertThat(h.sim.requests().countStatus(401)).as("401 is never retried").isEqualTo(1);
        }
    }

    @Test
    void should_store_hostile_strings_exactly() {
        try (SyncHarness h = harness(SimulatorConfig.builder().callCount(200))) {
            assertThat(h.run("sync").exitCode()).isZero();
            List<String> ids = h.sim.data().callIds();
            int hostile = 0;
            for (String id : ids) {
                String expected = h.sim.data().listItem(id).path("title").asText(null);
                List<String> stored = h.strings("SELECT title FROM calls WHERE id = '" + id + "'");
                assertThat(stored).containsExactly(expected);
                if (expected != null && expected.matches("(?s).*['\"\\\\\\n].*")) {
                    hostile++;
                }
            }
            assertThat(hostile).as("the simulator serves hostile titles").isPositive();
        }
    }

    @Test
    void should_name_the_key_of_a_malformed_setting_in_one_line() {
        try (SyncHarness h = harness(SimulatorConfig.builder().callCount(1))) {
            SyncHarness.Result r = h.run("sync", "--clari.sync.lookback=one hour");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
            assertThat(r.err().strip()).startsWith("error: configuration: clari.sync.lookback:").doesNotContain("\n");
        }
    }
}
