package dev.clarisync.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.sim.CallStatus;
import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.sync.StreamCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes really die: the jar is SIGKILLed at random moments of a sync several times, then allowed
 * to finish. The warehouse must then hold exactly what the API holds: no duplicates, no gaps, no
 * half-written pages, no details owed.
 */
class CrashSafetyIT {
    @TempDir
    Path dir;

    @Test
    void should_end_with_exactly_the_api_data_after_repeated_sigkills() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(600).build();
        Random random = new Random(7);
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            Path db = dir.resolve("w.duckdb");
            Map<String, String> env = Map.of("CLARI_API_KEY", config.apiKey(), "CLARI_API_PASSWORD", config.apiPassword());
            String[] args = {"sync", "--clari.api.base-url=" + sim.baseUrl(), "--warehouse.url=jdbc:duckdb:" + db,
                    "--clari.sync.start-date=2015-01-01", "--clari.api.rate-limit=150", "--clari.details.batch-size=10",
                    "--clari.api.page-size=50"};
            int killed = 0;
            for (int i = 0; i < 6; i++) {
                if (i == 3) {
                    rewriteCalls(sim); // the later runs, killed too, rewrite calls: history versions close and open
                }
                Process p = JarProcess.start(dir, List.of("-Xmx256m"), env, args);
                long wait = 1_500 + random.nextInt(3_500);
                if (!p.waitFor(wait, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no rollback
                    p.waitFor();
                    killed++;
                }
            }
            assertThat(killed).as("the test must actually kill runs mid-sync").isGreaterThanOrEqualTo(3);

            JarProcess.Run last = JarProcess.run(dir, List.of("-Xmx256m"), env, 300, args);
            assertThat(last.exitCode()).as(last.err()).isZero();

            assertThat(Warehouses.scalar(db, "SELECT COUNT(*) FROM calls")).isEqualTo(600);
            assertThat(new HashSet<>(Warehouses.strings(db, "SELECT id FROM calls"))).isEqualTo(new HashSet<>(sim.data().callIds()));
            List<String> ready = sim.data().callIds().stream()
                    .filter(id -> StreamCatalog.READY.contains(sim.data().listItem(id).path("status").asText())).toList();
            assertThat(new HashSet<>(Warehouses.strings(db, "SELECT id FROM call_details"))).isEqualTo(new HashSet<>(ready));
            assertThat(Warehouses.scalar(db, "SELECT COUNT(*) FROM call_details")).isEqualTo(ready.size());
            assertThat(Warehouses.scalar(db, "SELECT COUNT(*) FROM _details_backlog")).isZero();
            long turns = ready.stream().mapToLong(id -> sim.data().details(id).path("transcript").size()).sum();
            assertThat(Warehouses.scalar(db, "SELECT COUNT(*) FROM call_details__transcript")).isEqualTo(turns);
            long participants = sim.data().callIds().stream().mapToLong(id -> sim.data().listItem(id).path("users").size()).sum();
            assertThat(Warehouses.scalar(db, "SELECT COUNT(*) FROM calls__users")).isEqualTo(participants);
            for (String table : List.of("calls__users", "calls__external_participants", "call_details__transcript")) {
                assertThat(Warehouses.scalar(db, "SELECT COUNT(*) - COUNT(DISTINCT (_parent_id, _idx)) FROM " + table))
                        .as("duplicate child rows in %s", table).isZero();
            }
            // history (clari.history.streams=calls): a kill never leaves a call with no current version, or two
            assertThat(Warehouses.scalar(db, "SELECT COUNT(*) FROM calls c WHERE (SELECT COUNT(*) FROM calls__history h "
                    + "WHERE h.id = c.id AND h._valid_to IS NULL) <> 1")).isZero();
            assertThat(Warehouses.scalar(db, "SELECT COUNT(*) FROM calls__history h JOIN calls c ON c.id = h.id "
                    + "WHERE h._valid_to IS NULL AND h.status IS DISTINCT FROM c.status")).isZero();
            assertThat(Warehouses.scalar(db, "SELECT COUNT(*) FROM calls__history WHERE _valid_to IS NOT NULL"))
                    .as("rewritten calls have closed versions").isPositive();
            Files.writeString(dir.resolve("kills.txt"), "killed " + killed + " runs", StandardCharsets.UTF_8);
        }
    }

    /** Changes the status of every tenth call and moves the deal of every seventh call that has one. */
    private static void rewriteCalls(ClariSimulator sim) {
        List<String> ids = sim.data().callIds();
        for (int i = 0; i < ids.size(); i += 10) {
            String id = ids.get(i);
            sim.data().changeStatus(id, sim.data().status(id) == CallStatus.PROCESSED ? CallStatus.POST_PROCESSING_DONE : CallStatus.PROCESSED);
        }
        for (int i = 3; i < ids.size(); i += 7) {
            if (sim.data().listItem(ids.get(i)).has("deal_stage_before_call")) {
                sim.data().moveDeal(ids.get(i), "Negotiation", 42_000);
                sim.data().touch(ids.get(i));
            }
        }
    }
}
