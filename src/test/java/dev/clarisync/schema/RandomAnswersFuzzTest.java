package dev.clarisync.schema;

import dev.clarisync.SyncHarness;
import dev.clarisync.sim.RandomAnswers;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Syncs against spec-valid random answers ({@link RandomAnswers}): whatever the answers, the connector never files
 * details under an id it did not ask for (nor stores an answer about another call), never sends a parameter outside
 * the spec's bounds, and ends each run with data or a one-line error, never a stack trace.
 */
class RandomAnswersFuzzTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void should_never_misfile_nor_overstep_and_end_with_data_or_one_line(long seed) throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(0).build();
        Path run = Files.createDirectories(dir.resolve("seed-" + seed));
        try (SyncHarness h = new SyncHarness(config, run)) {
            RandomAnswers random = new RandomAnswers(seed, config.start(), config.end());
            h.sim.shapeAnswers(random);
            SyncHarness.Result r = h.run("sync");

            assertThat(random.outOfBoundsRequests()).as("requests outside skip 0..10000 / limit 1..100").isEmpty();
            assertThat(r.err()).as("no stack trace").doesNotContain("\tat ", "Exception in thread");
            if (r.exitCode() == 0) {
                assertThat(h.tableExists("users")).as(r.err()).isTrue();
            } else {
                String[] lines = r.err().strip().split("\n");
                String last = lines[lines.length - 1];
                assertThat(last).as(r.err()).startsWith("error: ").doesNotContain("\tat ");
            }
            Map<String, List<String>> about = random.detailsAnsweredAbout();
            if (h.tableExists("call_details")) {
                for (String id : h.strings("SELECT id FROM call_details")) {
                    assertThat(about).as("details stored under %s, which was never asked for", id).containsKey(id);
                    assertThat(about.get(id)).as("details of %s stored though no answer was about it", id).contains(id);
                }
            }
            // an asked call whose every answer was about another call stays owed
            for (Map.Entry<String, List<String>> e : about.entrySet()) {
                if (!e.getValue().contains(e.getKey()) && h.tableExists("_details_backlog") && r.exitCode() == 0) {
                    assertThat(h.scalar("SELECT COUNT(*) FROM call_details WHERE id = '" + e.getKey() + "'")).isZero();
                    assertThat(h.scalar("SELECT COUNT(*) FROM _details_backlog WHERE call_id = '" + e.getKey() + "'"))
                            .as("still owed: %s", e.getKey()).isEqualTo(1);
                }
            }
        }
    }
}
