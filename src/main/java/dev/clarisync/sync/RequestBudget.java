package dev.clarisync.sync;

import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.warehouse.RequestLedgerStore;
import dev.clarisync.warehouse.Warehouse;
import dev.clarisync.warehouse.WarehouseTx;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weekly request ledger ({@code _request_ledger}: requests per week, the week starting Sunday
 * 00:00 UTC as Clari's quota does) and the budget it implies. Before each page or details batch the
 * streams ask for an {@link #allowance}; when the week's quota less {@code clari.api.quota-margin}
 * is spent, the run stops cleanly with its progress saved (exit 4) and the next run, next week,
 * resumes: a backfill larger than a week's quota spreads over weeks and finishes by itself.
 *
 * <p>Requests are counted as they leave the limiter (an attempt whose connection then fails counts too: the budget
 * errs on the safe side) and added to the ledger in the same transaction as
 * the page they fetched; a crash can lose at most the count of the page in flight (the ledger then
 * under-counts by that much, which the margin absorbs). When that transaction fails instead, its count
 * is unwritten again, and the end of the run ({@link #flush}) writes it in a transaction of its own.
 */
public final class RequestBudget {
    private static final Logger LOG = LoggerFactory.getLogger(RequestBudget.class);

    private final ConnectorSettings settings;
    private final Warehouse warehouse;
    private final RequestLedgerStore ledger;
    private final Clock clock;
    /** Requests sent and not yet written to the ledger. */
    private final AtomicLong unrecorded = new AtomicLong();
    private volatile Instant week;
    /** What the ledger held for {@link #week} when the run began, plus what this run recorded since. */
    private final AtomicLong recorded = new AtomicLong();

    public RequestBudget(ConnectorSettings settings, Warehouse warehouse, Clock clock) {
        this.settings = settings;
        this.warehouse = warehouse;
        this.clock = clock;
        this.ledger = new RequestLedgerStore(warehouse);
    }

    /** Sunday 00:00 UTC on or before {@code t}. */
    public static Instant weekStart(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY))
                .atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Reads this week's ledger; called when a run begins. */
    public void begin() {
        week = weekStart(clock.instant());
        long used = ledger.requests(week);
        recorded.set(used);
        unrecorded.set(0);
        LOG.info("weekly request budget: {} of {} used since {} (margin {})", used, settings.weeklyQuota(), week, settings.quotaMargin());
    }

    /** Called for each request that leaves the limiter (retries included). */
    public void onRequest() {
        unrecorded.incrementAndGet();
    }

    public long used() {
        return recorded.get() + unrecorded.get();
    }

    public long remaining() {
        return settings.weeklyQuota() - settings.quotaMargin() - used();
    }

    /**
     * How many of {@code wanted} requests may be made now (at least 1), or a {@link QuotaBudgetException}
     * when none may: the run then ends with exit 4, everything before it committed.
     */
    public int allowance(int wanted) {
        return allowance(wanted, 0);
    }

    /**
     * Like {@link #allowance(int)}, with {@code reserved} requests about to be sent already (entries handed out whose
     * request has not left yet): they are spent from what is left first.
     */
    public int allowance(int wanted, int reserved) {
        if (week != null && !weekStart(clock.instant()).equals(week)) {
            begin(); // a long run crossed Sunday 00:00 UTC: a fresh week
        }
        long left = remaining() - Math.max(0, reserved);
        if (left < 1) {
            // the reserved requests go out before the run ends: count them in
            throw new QuotaBudgetException("stopped before exceeding this week's Clari request budget: " + (used() + Math.max(0, reserved)) + " of "
                    + settings.weeklyQuota() + " requests used (clari.api.quota-margin keeps " + settings.quotaMargin()
                    + " in reserve); progress is saved and the next run after Sunday 00:00 UTC resumes");
        }
        return (int) Math.min(wanted, left);
    }

    /** Adds the requests sent since the last call to this week's ledger row, inside the caller's transaction. */
    public void record(WarehouseTx tx) {
        long n = unrecorded.getAndSet(0);
        if (n == 0 || week == null) {
            return;
        }
        try {
            ledger.add(tx, week, n);
            recorded.addAndGet(n);
            // a page whose transaction fails (a full disk) still sent its requests: the end of the run writes them
            tx.onRollback(() -> {
                recorded.addAndGet(-n);
                unrecorded.addAndGet(n);
            });
        } catch (RuntimeException e) {
            unrecorded.addAndGet(n);
            throw e;
        }
    }

    /** Records what is left at the end of a run, in its own transaction. */
    public void flush() {
        warehouse.inTransaction(tx -> {
            record(tx);
            return null;
        });
    }
}
