package dev.clarisync.sync;

import dev.clarisync.api.CallsWindowScan;
import dev.clarisync.api.ClariTime;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.ops.Plural;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * List reconciliation of a windowed stream that declares one ({@link StreamSpec#reconcile}; calls, scorecards): at most
 * once per {@code clari.sync.reconcile-every}, after its cursor scan, the stream re-reads its list over the records
 * whose call {@code time} is within {@code clari.sync.reconcile-horizon} (the spec's parameters, {@code
 * filterTimeGt}/{@code filterTimeLt}: one request per 100 calls). A CRM or deal field edit moves no {@code last_modified_time}, so the cursor alone misses it; the
 * record's version is its {@code last_modified_time} and its list content hash ({@link ListStream#version}), so the
 * idempotent consumer lets through exactly the records whose list content changed: they are rewritten, and their
 * details queued again. Unchanged records cost no write.
 *
 * <p>New work first: the pass is planned when the cursor scan is done (its new and changed records already queued for
 * details), and skipped (tried again next run) when the week's budget above the reserve is no more than the details
 * owed.
 */
final class ListReconciliation {
    private static final Logger LOG = LoggerFactory.getLogger(ListReconciliation.class);
    /** {@code _sync_state} key: the run start of the last completed list reconciliation. */
    static final String LAST = "last_list_reconcile";

    private ListReconciliation() {
    }

    /**
     * The scan of this run's reconciliation of {@code spec}, or null when none is due (or it is off, or the budget is
     * short). Called once the cursor scan is done; {@code backfill}: that scan was the first, from the start date, and
     * read every record of the horizon already, so it counts as this pass.
     */
    static CallsWindowScan plan(RunContext run, StreamSpec spec, boolean backfill) {
        ConnectorSettings s = run.settings();
        if (spec.reconcile() == null || s.reconcileHorizon().isZero()) {
            return null;
        }
        Instant now = run.startedAt();
        if (backfill) {
            run.warehouse().inTransaction(tx -> {
                tx.putState(spec.name(), LAST, ClariTime.format(now));
                return null;
            });
            return null;
        }
        String last = run.warehouse().readState(spec.name()).get(LAST);
        if (last != null && Instant.parse(last).plus(s.reconcileEvery()).isAfter(now)) {
            return null;
        }
        long owed = run.backlog().size();
        long left = run.budget().remaining();
        if (left <= owed) {
            LOG.info("{}: list reconciliation deferred: {} left this week above the reserve, {} owed first", spec.name(),
                    Plural.of(left, "request"), Plural.of(owed, "details request"));
            return null;
        }
        Instant from = now.minus(s.reconcileHorizon());
        LOG.info("{}: list reconciliation of the calls since {} (call time)", spec.name(), ClariTime.format(from));
        return new CallsWindowScan(from, now, s.pageSize(), s.maxSkip(), s.maxRescans());
    }
}
