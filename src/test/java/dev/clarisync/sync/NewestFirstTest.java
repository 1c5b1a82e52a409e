package dev.clarisync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.SyncHarness;
import dev.clarisync.cli.ExitCodes;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Owed details are fetched newest call first (issue 24, item 4): a backfill the weekly quota stops part-way has the
 * details of the newest calls, not of calls scattered over the years (in call id order, 32% of them were among the
 * newest).
 */
class NewestFirstTest {
    @TempDir
    Path dir;

    @Test
    void should_hold_the_details_of_the_newest_calls_when_the_weekly_quota_stops_a_backfill() throws SQLException {
        // 1,500 calls; the simulator's week admits about 420 requests: 1 users + 15 list pages, the rest details
        SimulatorConfig config = SimulatorConfig.builder().callCount(1500).weeklyQuota(420).build();
        try (SyncHarness h = new SyncHarness(config, dir)) {
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.QUOTA_EXHAUSTED);

            Set<String> landed = ids(h, "SELECT id FROM call_details");
            List<String> readyNewestFirst = h.sim.data().callIds().stream()
                    .filter(id -> StreamCatalog.READY.contains(h.sim.data().listItem(id).path("status").asText()))
                    .sorted(Comparator.comparing((String id) -> Instant.parse(h.sim.data().listItem(id).path("time").asText())).reversed())
                    .toList();
            assertThat(landed.size()).as("the quota stopped the backfill part-way").isBetween(200, readyNewestFirst.size() - 200);

            Set<String> newest = new HashSet<>(readyNewestFirst.subList(0, landed.size()));
            long among = landed.stream().filter(newest::contains).count();
            double share = (double) among / landed.size();
            System.out.printf("NEWEST-FIRST %d details landed of %d ready calls; %.1f%% of them among the %d newest%n",
                    landed.size(), readyNewestFirst.size(), share * 100, landed.size());
            assertThat(share).as("share of the landed details that belong to the newest that many calls").isGreaterThanOrEqualTo(0.90);

            // what is still owed is older than everything that landed, except what was in flight when the quota hit
            Instant oldestLanded = h.sim.data().callIds().stream().filter(landed::contains)
                    .map(id -> Instant.parse(h.sim.data().listItem(id).path("time").asText())).min(Comparator.naturalOrder()).orElseThrow();
            long owedNewer = h.scalar("SELECT COUNT(*) FROM _details_backlog WHERE call_time > TIMESTAMP '"
                    + oldestLanded.toString().replace("T", " ").replace("Z", "") + "'");
            assertThat(owedNewer).as("owed calls newer than the oldest landed one (in flight at the stop)")
                    .isLessThanOrEqualTo(config.callCount() / 100);
        }
    }

    private static Set<String> ids(SyncHarness h, String sql) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Connection c = h.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
