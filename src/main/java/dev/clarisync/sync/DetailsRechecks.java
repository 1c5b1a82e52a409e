package dev.clarisync.sync;

import dev.clarisync.api.ClariTime;
import dev.clarisync.warehouse.Warehouse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Decaying re-checks of a per-parent stream ({@code clari.details.recheck-after}, e.g. {@code P7D}): a ready parent
 * record is re-fetched once when it reaches each of those ages (counted from its {@code time}), not every day. A
 * regenerated summary or a deal/CRM field of the details moves no {@code last_modified_time}; only a re-fetch sees it.
 *
 * <p>Each pass queues, per age {@code a}, the stored ready records whose {@code time} is in
 * {@code [lastPass - a, thisPass - a)}: consecutive passes tile the time line, so every record is queued exactly once
 * per age however often (or rarely) the sync runs. Cost: one request per ready record per age over its life. The
 * first pass on a warehouse (no {@value #LAST_RECHECK} yet; the older daily {@value #LEGACY} mark is honoured) only
 * records its instant: everything it holds was just fetched. Queued entries are forced, and forced entries wait
 * behind every owed new or changed record ({@link DetailsBacklog#take}).
 */
final class DetailsRechecks {
    /** {@code _sync_state} key: the run start of the last re-check pass. */
    static final String LAST_RECHECK = "last_recheck";
    /** {@code _sync_state} key of the daily reconciliation this replaced: the start of a first pass after an upgrade. */
    static final String LEGACY = "last_reconcile";

    private DetailsRechecks() {
    }

    /** Queues the records that reached a re-check age since the last pass, and records this pass. Returns how many. */
    static int queue(RunContext run, StreamSpec spec) {
        Warehouse warehouse = run.warehouse();
        List<Duration> ages = run.settings().detailsRecheckAfter();
        Map<String, String> state = warehouse.readState(spec.name());
        String last = state.getOrDefault(LAST_RECHECK, state.get(LEGACY));
        Instant now = run.startedAt();
        Instant from = last == null ? now : Instant.parse(last);
        return warehouse.inTransaction(tx -> {
            int queued = 0;
            if (from.isBefore(now)) {
                for (Duration age : ages) {
                    queued += run.backlog().enqueueStored(tx, spec.parent(), from.minus(age), now.minus(age), run.now());
                }
            }
            tx.putState(spec.name(), LAST_RECHECK, ClariTime.format(now));
            return queued;
        });
    }
}
