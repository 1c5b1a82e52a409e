package dev.clarisync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.SyncHarness;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorecards, scorecard_templates and topics streams end to end: the real application and routes/ against the
 * simulator over loopback, into a real DuckDB file.
 */
class CoachingSyncTest {
    @TempDir
    Path dir;

    @Test
    void should_land_every_scorecard_once_through_split_windows_while_new_ones_appear() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(1_200).maxSkip(100).build(), dir)) {
            h.option("clari.sync.streams", "scorecards").option("clari.api.max-skip", "100");
            int before = h.sim.coaching().scorecardIds().size();
            assertThat(before).as("enough to split").isGreaterThan(200);
            // new scorecards (on old and on recent calls) appear while the scan is under way
            String oldCall = h.sim.data().callIds().get(0);
            List<String> added = new java.util.concurrent.CopyOnWriteArrayList<>();
            h.sim.onRequest("/scorecard", 3, () -> {
                added.addAll(h.sim.coaching().addScorecardsToRecentCalls(3));
                h.sim.coaching().addScorecard(oldCall);
            });
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains("above the offset cap of 100: split in two");
            assertThat(h.sim.requests().countStatus(400)).as("never asked past the cap").isZero();
            assertThat(h.sim.coaching().scorecardIds()).hasSize(before + 4);
            assertThat(h.scalar("SELECT COUNT(*) FROM scorecards")).isEqualTo(h.scalar("SELECT COUNT(DISTINCT id) FROM scorecards"));
            // the recent calls' windows are read last (oldest first): their new scorecards land in this very run
            assertThat(added).hasSize(3);
            assertThat(h.strings("SELECT id FROM scorecards")).containsAll(added);
            // a scorecard added below a window already read is owed to the next run (the look-back), never lost
            SyncHarness.Result again = h.run("sync");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(new HashSet<>(h.strings("SELECT id FROM scorecards"))).isEqualTo(new HashSet<>(h.sim.coaching().scorecardIds()));
            assertThat(h.scalar("SELECT COUNT(*) FROM scorecards")).isEqualTo(before + 4);
            long questions = h.sim.coaching().scorecards().stream().mapToLong(s -> s.path("questions_score").size()).sum();
            assertThat(h.scalar("SELECT COUNT(*) FROM scorecards__questions_score")).isEqualTo(questions);
        }
    }

    @Test
    void should_rewrite_nothing_on_rerun_read_only_the_lookback_and_catch_a_recent_edit() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(600).days(120).build(), dir)) {
            h.option("clari.sync.streams", "scorecards");
            SyncHarness.Result first = h.run("sync");
            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(h.scalar("SELECT COUNT(*) FROM scorecards")).isEqualTo(h.sim.coaching().scorecardIds().size());
            Instant cursor = Instant.parse(h.strings("SELECT value FROM _sync_state WHERE stream = 'scorecards' AND key = 'cursor'").get(0));
            // the next run reads the scorecards of calls after cursor - P14D: at 100 a page, at least one request
            Instant from = cursor.minus(Duration.ofDays(14));
            List<String> recent = h.sim.coaching().scorecards().stream()
                    .filter(s -> Instant.parse(h.sim.data().listItem(s.get("call_id").asText()).get("time").asText()).isAfter(from))
                    .map(s -> s.get("id").asText()).toList();
            assertThat(recent).as("the look-back holds scorecards").isNotEmpty().hasSizeLessThan(h.sim.coaching().scorecardIds().size());
            String syncedAt = h.strings("SELECT CAST(MAX(_synced_at) AS VARCHAR) FROM scorecards").get(0);
            long requests = h.sim.requests().count("/scorecard");

            SyncHarness.Result again = h.run("sync");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).contains("rows written: none (nothing changed)");
            assertThat(h.strings("SELECT CAST(MAX(_synced_at) AS VARCHAR) FROM scorecards").get(0)).isEqualTo(syncedAt);
            assertThat(h.sim.requests().count("/scorecard") - requests).isEqualTo(Math.max(1, (recent.size() + 99) / 100));

            // a re-scored scorecard of a recent call is rewritten, with its answers
            String edited = recent.get(0);
            h.sim.coaching().editScorecard(edited);
            SyncHarness.Result third = h.run("sync");
            assertThat(third.exitCode()).as(third.err()).isZero();
            JsonNode total = h.sim.coaching().scorecards().stream().filter(s -> s.get("id").asText().equals(edited)).findFirst().orElseThrow()
                    .path("total_score");
            assertThat(h.scalar("SELECT COUNT(*) FROM scorecards WHERE id = '" + edited + "' AND total_score IS NOT DISTINCT FROM CAST("
                    + (total.isNumber() ? total.asText() : "NULL") + " AS DOUBLE)")).isEqualTo(1);
            assertThat(h.scalar("SELECT COUNT(*) FROM scorecards WHERE _synced_at > CAST('" + syncedAt + "' AS TIMESTAMP)")).isEqualTo(1);
        }
    }

    @Test
    void should_follow_template_and_topic_edits_additions_and_removals() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(50).build(), dir)) {
            h.option("clari.sync.streams", "scorecard_templates,topics");
            SyncHarness.Result first = h.run("sync");
            assertThat(first.exitCode()).as(first.err()).isZero();
            assertSame(h);
            assertThat(h.scalar("SELECT COUNT(*) FROM topics WHERE topic_id = id")).isEqualTo(h.sim.coaching().topicIds().size());

            List<String> templates = h.sim.coaching().templateIds();
            List<String> topics = h.sim.coaching().topicIds();
            h.sim.coaching().renameTemplate(templates.get(0), "Discovery, renamed");
            h.sim.coaching().deleteTemplate(templates.get(1));
            h.sim.coaching().addTemplate("Negotiation", List.<String[]>of(new String[] {"Pricing", "Held the price?"}));
            h.sim.coaching().editTopic(topics.get(0), "Renamed topic");
            h.sim.coaching().deleteTopic(topics.get(1));
            h.sim.coaching().addTopic("Security review", "SOC 2 and pen tests");
            SyncHarness.Result second = h.run("sync");
            assertThat(second.exitCode()).as(second.err()).isZero();
            assertSame(h);
            assertThat(h.strings("SELECT name FROM scorecard_templates WHERE id = '" + templates.get(0) + "'")).containsExactly("Discovery, renamed");
            assertThat(h.strings("SELECT topic_name FROM topics WHERE id = '" + topics.get(0) + "'")).containsExactly("Renamed topic");
            assertThat(h.scalar("SELECT COUNT(*) FROM scorecard_templates__questions WHERE _parent_id = '" + templates.get(1) + "'")).isZero();
            // one new and one changed of each
            assertThat(second.out()).contains("rows written");
            assertThat(second.err()).contains("scorecard_templates: 1 records no longer listed by Clari were removed")
                    .contains("topics: 1 records no longer listed by Clari were removed");

            SyncHarness.Result third = h.run("sync");
            assertThat(third.exitCode()).as(third.err()).isZero();
            assertThat(third.out()).contains("rows written: none (nothing changed)");
            assertThat(h.sim.requests().count("/v2/topics")).as("one request a run").isEqualTo(3);
            assertThat(h.sim.requests().count("/scorecard-template")).as("one request a run").isEqualTo(3);
        }
    }

    private static void assertSame(SyncHarness h) {
        assertThat(new HashSet<>(h.strings("SELECT id FROM scorecard_templates"))).isEqualTo(new HashSet<>(h.sim.coaching().templateIds()));
        assertThat(new HashSet<>(h.strings("SELECT id FROM topics"))).isEqualTo(new HashSet<>(h.sim.coaching().topicIds()));
        Set<String> names = new HashSet<>();
        h.sim.coaching().topics().forEach(t -> names.add(t.path("topic_name").asText()));
        assertThat(new HashSet<>(h.strings("SELECT topic_name FROM topics"))).isEqualTo(names);
        long questions = h.sim.coaching().templates().stream().mapToLong(t -> t.path("questions").size()).sum();
        assertThat(h.scalar("SELECT COUNT(*) FROM scorecard_templates__questions")).isEqualTo(questions);
    }
}
