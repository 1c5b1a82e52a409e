package dev.clarisync.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.Fault;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar at the edges of issue 23, where only a real process shows the behaviour: one all-day call's
 * transcript at a small heap, and SIGTERM while a sync waits on an API that keeps failing.
 */
class EdgeOfTheWorldIT {
    @TempDir
    Path dir;

    private static Map<String, String> env(SimulatorConfig config) {
        return Map.of("CLARI_API_KEY", config.apiKey(), "CLARI_API_PASSWORD", config.apiPassword());
    }

    @Test
    void should_land_a_60000_turn_transcript_and_set_aside_a_larger_one_with_a_128_mb_heap() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(40).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            String allDay = sim.data().callIds().stream()
                    .filter(id -> sim.data().listItem(id).path("status").asText().equals("POST_PROCESSING_DONE")).findFirst().orElseThrow();
            sim.data().longTranscript(allDay, 60_000); // a 7.3 MB answer
            String tooLarge = sim.data().callIds().stream().filter(id -> !id.equals(allDay))
                    .filter(id -> sim.data().listItem(id).path("status").asText().equals("POST_PROCESSING_DONE")).findFirst().orElseThrow();
            sim.data().longTranscript(tooLarge, 150_000); // 18.5 MB: ran this heap out of memory; now set aside by its size
            Path db = dir.resolve("w.duckdb");
            JarProcess.Run r = JarProcess.run(dir, List.of("-Xmx128m"), env(config), 300, "sync",
                    "--clari.api.base-url=" + sim.baseUrl(), "--warehouse.url=jdbc:duckdb:" + db, "--clari.sync.start-date=2015-01-01",
                    "--clari.api.rate-limit=100");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(Warehouses.scalar(db, "SELECT COUNT(*) FROM call_details__transcript WHERE _parent_id = '" + allDay + "'"))
                    .isEqualTo(60_000L);
            // the default cap (clari.details.max-answer-bytes=auto: a sixteenth of the heap, 8 MiB here)
            assertThat(Warehouses.scalar(db, "SELECT COUNT(*) FROM _rejected_records WHERE record_id = '" + tooLarge
                    + "' AND reason LIKE '%above clari.details.max-answer-bytes%'")).isEqualTo(1L);
            assertThat(r.out()).contains("1 record set aside");
        }
    }

    @Test
    void should_end_a_sync_within_seconds_on_sigterm_while_it_retries() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(60).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            // every details request fails: the sync sits in back-off (production delays: 1 s, 2 s, 4 s ... 60 s)
            sim.faults().enqueue("/call-details", Fault.serviceUnavailable(), 100_000);
            Path db = dir.resolve("w.duckdb");
            Process sync = JarProcess.start(dir, List.of("-Xmx256m"), env(config), "sync",
                    "--clari.api.base-url=" + sim.baseUrl(), "--warehouse.url=jdbc:duckdb:" + db, "--clari.sync.start-date=2015-01-01",
                    "--clari.api.retry-delay=PT5S");
            ConcurrencyAndSecretsIT.waitForLog(dir.resolve("stderr.log"), "retry 2/", 60);
            long asked = System.nanoTime();
            sync.destroy(); // SIGTERM
            assertThat(sync.waitFor(15, TimeUnit.SECONDS)).as("ends within seconds of SIGTERM: %s",
                    Files.readString(dir.resolve("stderr.log"))).isTrue();
            long tookMillis = (System.nanoTime() - asked) / 1_000_000;
            System.out.println("SIGTERM to exit: " + tookMillis + " ms");
            // the calls it had written stay; a later run resumes
            assertThat(Warehouses.scalar(db, "SELECT COUNT(*) FROM calls")).isEqualTo(60);
        }
    }
}
