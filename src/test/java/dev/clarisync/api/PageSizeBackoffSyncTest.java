package dev.clarisync.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.SyncHarness;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Path;
import java.util.HashSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 3: a gateway that answers 502 to every {@code /calls} page above 25 calls. The sync backs
 * its page size off 100 → 50 → 25, probes upwards again after a run of successes, and still lands exactly
 * the simulator's calls, with the offset cap (here 100, so windows split) exact at every size.
 */
class PageSizeBackoffSyncTest {
    @TempDir
    Path dir;

    @Test
    void should_back_off_to_pages_that_work_and_land_exactly_the_apis_calls() {
        SimulatorConfig config = SimulatorConfig.builder().callCount(400).maxSkip(100).failPagesAbove(25).build();
        try (SyncHarness h = new SyncHarness(config, dir)) {
            h.option("clari.sync.streams", "users,calls").option("clari.api.max-skip", "100")
                    .option("clari.api.page-size-recover-after", "6");
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains("failed attempts in a row at page size 100: page size down to 50")
                    .contains("failed attempts in a row at page size 50: page size down to 25")
                    .contains("6 pages in a row came back: page size up to 50");
            assertThat(h.sim.requests().countStatus(502)).as("large pages refused").isGreaterThanOrEqualTo(4);
            assertThat(h.scalar("SELECT COUNT(*) FROM calls")).isEqualTo(400);
            assertThat(new HashSet<>(h.strings("SELECT id FROM calls"))).isEqualTo(new HashSet<>(h.sim.data().callIds()));
            // a rerun reads the lookback only and writes nothing: the cursor was right
            SyncHarness.Result again = h.run("sync");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(h.scalar("SELECT COUNT(*) FROM calls")).isEqualTo(400);
        }
    }
}
