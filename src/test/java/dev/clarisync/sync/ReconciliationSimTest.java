package dev.clarisync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.bench.ThirtyDays;
import dev.clarisync.camel.ConnectorApplication;
import dev.clarisync.sim.CallStatus;
import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, reconciliation that costs little: weeks of a small workspace's life simulated in seconds, the connector and
 * the simulator on one injected clock. Syncs every 6 simulated hours; new calls every day, status transitions, CRM
 * field edits of the list and regenerated summaries; then the per-call details cost, the latency of every edit, and
 * the warehouse against the simulator at the end.
 */
class ReconciliationSimTest {
    /** A Sunday, so the budget test stays within one quota week. */
    static final Instant T0 = ThirtyDays.T0;

    @TempDir
    Path dir;

    @Test
    void should_land_list_edits_within_a_day_and_summaries_within_a_week_at_two_details_requests_per_call() throws Exception {
        // 31 days: 23 of new calls and edits, then 8 quiet ones in which every call lives out its re-check
        ThirtyDays.Life life = ThirtyDays.live(dir, 40, 6, 23, 8, Map.of()); // also checks the warehouse exact at the end
        System.out.println("30-day simulation: " + life.line());
        assertThat(life.calls()).isGreaterThan(100);
        assertThat(life.listEdits()).isGreaterThan(10);
        assertThat(life.summaries()).isGreaterThan(10);
        assertThat(life.worstListEdit()).isLessThanOrEqualTo(Duration.ofDays(1));
        assertThat(life.worstSummary()).isLessThanOrEqualTo(Duration.ofDays(7));
        // one first fetch and one re-check at P7D per call, plus one per call whose list record changed after its fetch
        assertThat(life.detailsPerCall()).isLessThanOrEqualTo(2.0 + (double) life.listEdits() / life.calls());
    }

    @Test
    void should_serve_new_calls_before_rechecks_and_list_reconciliation_when_the_week_budget_is_short() throws Exception {
        ThirtyDays.ManualClock clock = new ThirtyDays.ManualClock(T0);
        SimulatorConfig config = SimulatorConfig.builder().callCount(60).userCount(6)
                .span(T0.minus(Duration.ofDays(10)), T0.minus(Duration.ofMinutes(10))).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            sim.data().useClock(clock);
            try (ConnectorApplication app = ThirtyDays.app(sim, dir, clock, Map.of())) {
                assertThat(app.syncOnce().ok()).isTrue();
            }
            // five days later (same quota week): calls of five to two days before the first sync are due their re-check
            clock.set(T0.plus(Duration.ofDays(5)).minus(Duration.ofHours(1)));
            List<String> fresh = sim.data().addCalls(8);
            for (String id : fresh) {
                if (!StreamCatalog.READY.contains(sim.data().status(id).name())) {
                    sim.data().changeStatus(id, CallStatus.PROCESSED);
                }
            }
            clock.set(T0.plus(Duration.ofDays(5)));
            long used = sim.requests().total();
            // room for users, one page of the cursor scan and the new calls' details: nothing left for reconciliation
            long quota = used + 2 + fresh.size();
            try (ConnectorApplication app = ThirtyDays.app(sim, dir, clock, Map.of("clari.api.weekly-quota", Long.toString(quota),
                    "clari.api.quota-margin", "0"))) {
                SyncOutcome outcome = app.syncOnce();
                assertThat(outcome.kind()).as(outcome.message()).isEqualTo(OutcomeKind.QUOTA_EXHAUSTED);
                assertThat(sim.requests().total()).isLessThanOrEqualTo(quota);
                String details = app.warehouse().table("call_details");
                for (String id : fresh) {
                    assertThat(ThirtyDays.one(app, "SELECT COUNT(*) FROM " + details + " WHERE id = ?", id)).as("new call %s", id).isEqualTo("1");
                }
                String backlog = app.warehouse().table("_details_backlog");
                assertThat(Long.parseLong(ThirtyDays.one(app, "SELECT COUNT(*) FROM " + backlog))).as("re-checks still owed").isPositive();
                assertThat(ThirtyDays.one(app, "SELECT COUNT(*) FROM " + backlog + " WHERE NOT forced")).as("owed new work").isEqualTo("0");
                // the list reconciliation was due (a day had passed) but waited: the budget did not exceed what was owed
                assertThat(app.warehouse().readState("calls")).containsEntry(ListReconciliation.LAST, dev.clarisync.api.ClariTime.format(T0));
            }
        }
    }
}
