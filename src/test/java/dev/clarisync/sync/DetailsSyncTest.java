package dev.clarisync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.SyncHarness;
import dev.clarisync.cli.ExitCodes;
import dev.clarisync.sim.Fault;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The call_details stream end to end: backlog, idempotency, readiness, 404s, resume, reconciliation. */
class DetailsSyncTest {
    @TempDir
    Path dir;

    static boolean ready(JsonNode call) {
        return StreamCatalog.READY.contains(call.path("status").asText());
    }

    List<String> readyIds(SyncHarness h) {
        return h.sim.data().callIds().stream().filter(id -> ready(h.sim.data().listItem(id))).toList();
    }

    @Test
    void should_land_details_of_every_finished_call_with_transcripts_and_speakers() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(120).build(), dir)) {
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            List<String> ready = readyIds(h);
            assertThat(ready).isNotEmpty().hasSizeLessThan(120);
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details")).isEqualTo(ready.size());
            assertThat(h.sim.requests().count("/call-details")).isEqualTo(ready.size());
            long turns = 0;
            for (String id : ready) {
                ObjectNode details = h.sim.data().details(id);
                int expectedTurns = details.path("transcript").size();
                turns += expectedTurns;
                assertThat(h.scalar("SELECT COUNT(*) FROM call_details__transcript WHERE _parent_id = '" + id + "'"))
                        .as("turns of %s", id).isEqualTo(expectedTurns);
                // every turn's speaker resolved independently from the call's participants
                Map<String, String> emailByPerson = new HashMap<>();
                details.path("users").forEach(u -> emailByPerson.put(u.path("personId").asText(), u.path("userEmail").asText(null)));
                details.path("externalParticipants").forEach(p -> emailByPerson.putIfAbsent(p.path("personId").asText(), p.path("email").asText(null)));
                details.path("joinedParticipants").forEach(p -> emailByPerson.putIfAbsent(p.path("personId").asText(), p.path("email").asText(null)));
                JsonNode first = details.path("transcript").path(0);
                if (!first.isMissingNode()) {
                    String expected = emailByPerson.get(first.path("personId").asText());
                    List<String> stored = h.strings("SELECT speaker_email FROM call_details__transcript WHERE _parent_id = '" + id + "' AND _idx = 0");
                    assertThat(stored).containsExactly(expected);
                }
            }
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details__transcript")).isEqualTo(turns);
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details__transcript WHERE speaker_internal")).isPositive();
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details__summary__key_action_items")).isPositive();
            assertThat(h.scalar("SELECT COUNT(*) FROM _details_backlog")).isZero();
        }
    }

    @Test
    void should_make_zero_details_requests_when_nothing_changed() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(80).build(), dir)) {
            assertThat(h.run("sync").exitCode()).isZero();
            h.sim.requests().reset();
            SyncHarness.Result again = h.run("sync");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(h.sim.requests().count("/call-details")).isZero();
            assertThat(again.out()).contains("rows written: none (nothing changed)");
        }
    }

    @Test
    void should_fetch_details_once_a_processing_call_is_done() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(120).build(), dir)) {
            String processing = h.sim.data().callIds().stream()
                    .filter(id -> h.sim.data().listItem(id).path("status").asText().equals("PROCESSING")).findFirst().orElseThrow();
            assertThat(h.run("sync").exitCode()).isZero();
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details WHERE id = '" + processing + "'")).isZero();

            h.sim.data().changeStatus(processing, "POST_PROCESSING_DONE");
            h.sim.requests().reset();
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(h.sim.requests().count("/call-details")).isEqualTo(1);
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details WHERE id = '" + processing + "'")).isEqualTo(1);
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details__transcript WHERE _parent_id = '" + processing + "'"))
                    .isEqualTo(h.sim.data().details(processing).path("transcript").size());
        }
    }

    @Test
    void should_skip_and_count_a_404_and_mark_stored_details_deleted() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(60).build(), dir)) {
            List<String> ready = readyIds(h);
            String neverFetched = ready.get(0);
            String fetchedBefore = ready.get(1);
            h.sim.data().detailsMissing(neverFetched);
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains("call " + neverFetched).contains("not found (HTTP 404)");
            assertThat(h.scalar("SELECT details_not_found FROM _sync_runs")).isEqualTo(1);
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details")).isEqualTo(ready.size() - 1);

            h.sim.data().detailsMissing(fetchedBefore);
            h.sim.data().touch(fetchedBefore);
            SyncHarness.Result again = h.run("sync");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(h.strings("SELECT CAST(_deleted AS VARCHAR) FROM call_details WHERE id = '" + fetchedBefore + "'"))
                    .containsExactly("true");
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details WHERE _deleted IS NULL OR NOT _deleted")).isEqualTo(ready.size() - 2);
        }
    }

    @Test
    void should_resume_exactly_the_owed_details_after_a_run_stopped_half_way() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(200).build(), dir)) {
            h.option("clari.api.max-retries", "1").option("clari.details.batch-size", "20");
            List<String> ready = readyIds(h);
            // the details endpoint breaks for good after ~half the calls
            h.sim.onDetailsRequest(ready.size() / 2, () -> h.sim.faults().enqueue("/call-details", Fault.serviceUnavailable(), 10_000));
            SyncHarness.Result broken = h.run("sync");
            assertThat(broken.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(broken.err()).contains("error: Clari kept failing (HTTP 503");
            long landed = h.scalar("SELECT COUNT(*) FROM call_details");
            long owed = h.scalar("SELECT COUNT(*) FROM _details_backlog");
            assertThat(landed).isPositive();
            assertThat(landed + owed).isEqualTo(ready.size());

            h.sim.faults().clear();
            h.sim.requests().reset();
            SyncHarness.Result resumed = h.run("sync");
            assertThat(resumed.exitCode()).as(resumed.err()).isZero();
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details")).isEqualTo(ready.size());
            assertThat(h.scalar("SELECT COUNT(DISTINCT id) FROM call_details")).isEqualTo(ready.size());
            assertThat(h.sim.requests().count("/call-details")).as("only the owed calls are fetched").isEqualTo(owed);
        }
    }

    @Test
    void should_pick_up_a_regenerated_summary_by_the_recheck_at_its_age_and_write_only_that_call() {
        // issue 13 replaced the daily re-fetch of the last 7 days by one re-check per clari.details.recheck-after age
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(60).days(5).build(), dir)) {
            h.option("clari.details.recheck-after", "P1D");
            assertThat(h.run("sync").exitCode()).isZero();
            java.time.Instant dayAgo = java.time.Instant.now().minus(java.time.Duration.ofHours(25));
            String id = readyIds(h).stream()
                    .filter(c -> java.time.Instant.parse(h.sim.data().listItem(c).path("time").asText()).isBefore(dayAgo))
                    .findFirst().orElseThrow();
            String before = h.strings("SELECT summary__full_summary FROM call_details WHERE id = '" + id + "'").get(0);
            h.sim.data().reviseSummary(id);
            String expected = h.sim.data().details(id).path("summary").path("full_summary").asText();
            assertThat(expected).isNotEqualTo(before);

            SyncHarness.Result quiet = h.run("sync");
            assertThat(quiet.exitCode()).as(quiet.err()).isZero();
            assertThat(h.strings("SELECT summary__full_summary FROM call_details WHERE id = '" + id + "'"))
                    .as("no call reached its re-check age since the last pass").containsExactly(before);
            long requests = h.sim.requests().count("/call-details");

            // the last pass was ten days ago: every call older than a day reached its age since
            try (java.sql.Connection c = h.connect(); java.sql.Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE _sync_state SET value = '" + java.time.Instant.now().minus(java.time.Duration.ofDays(10))
                        + "' WHERE stream = 'call_details' AND key = 'last_recheck'");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(h.strings("SELECT summary__full_summary FROM call_details WHERE id = '" + id + "'")).containsExactly(expected);
            assertThat(r.out()).contains("call_details 1");
            assertThat(h.sim.requests().count("/call-details")).isGreaterThan(requests);
        }
    }

    /**
     * Chunked: answers without a Content-Length reach the connector as a stream, and their records are fingerprinted
     * from the parsed tree instead of the answer's bytes.
     */
    @ParameterizedTest(name = "chunked answers: {0}")
    @ValueSource(booleans = {false, true})
    void should_rewrite_only_the_details_whose_answer_changed_on_a_full_reload(boolean chunked) {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(80).build(), dir)) {
            h.sim.chunkedAnswers(chunked);
            assertThat(h.run("sync").exitCode()).isZero();
            long fetched = h.scalar("SELECT COUNT(*) FROM call_details");
            assertThat(fetched).isPositive();
            String firstWrite = h.strings("SELECT CAST(MAX(_synced_at) AS VARCHAR) FROM call_details").get(0);
            String revised = h.strings("SELECT id FROM call_details ORDER BY id LIMIT 1").get(0);
            h.sim.data().reviseSummary(revised);
            SyncHarness.Result r = h.run("sync", "--clari.details.mode=full");
            assertThat(r.exitCode()).as(r.err()).isZero();
            // every finished call was fetched again; the answers' fingerprints show one changed
            assertThat(h.strings("SELECT id FROM call_details WHERE _synced_at > CAST('" + firstWrite + "' AS TIMESTAMP)"))
                    .containsExactly(revised);
            assertThat(h.strings("SELECT summary__full_summary FROM call_details WHERE id = '" + revised + "'").get(0))
                    .contains("Summary regenerated");
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details")).isEqualTo(fetched);
        }
    }

    @Test
    void should_rewrite_the_transcripts_of_a_renamed_user_at_their_next_fetch() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(80).build(), dir)) {
            assertThat(h.run("sync").exitCode()).isZero();
            String email = h.strings("SELECT speaker_email FROM call_details__transcript WHERE speaker_internal "
                    + "GROUP BY speaker_email ORDER BY COUNT(*) DESC, speaker_email LIMIT 1").get(0);
            String id = h.sim.data().userRecords().stream().filter(u -> u.email().equals(email)).findFirst().orElseThrow().id();
            h.sim.data().renameUser(id, "Renamed Person");
            SyncHarness.Result r = h.run("sync", "--clari.details.mode=full");
            assertThat(r.exitCode()).as(r.err()).isZero();
            // the answers of calls that do not mention the name are unchanged, but their speakers' names are not
            assertThat(h.strings("SELECT DISTINCT speaker_name FROM call_details__transcript WHERE speaker_email = '" + email + "'"))
                    .containsExactly("Renamed Person");
        }
    }
}
