package dev.clarisync.warehouse;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Waits, boundedly, for another process to let go of the warehouse: the sync of the {@code run} service waiting for
 * readers of the DuckDB file, and {@code sql} / {@code report} waiting for a sync in progress. A file lock gives no
 * notice when it is released, so the attempt is repeated every {@link #POLL} until it succeeds or the wait is over.
 */
public final class BusyWait {
    /** Between two attempts: an attempt on a locked DuckDB file fails within a millisecond or two. */
    static final Duration POLL = Duration.ofMillis(200);

    private BusyWait() {
    }

    /**
     * Runs {@code attempt} until it does not throw {@link WarehouseBusyException}, for at most {@code wait}.
     * {@code onFirstBusy} is told once, when the first attempt finds the warehouse busy (the one log or stderr line).
     *
     * @param stopping checked between attempts: true (the service is shutting down) gives up at once
     * @return what the attempt returned; null when {@code stopping} ended the wait (or the thread was interrupted)
     * @throws WarehouseBusyException the last attempt's, when the warehouse was still busy after {@code wait}
     */
    public static <T> T retry(Supplier<T> attempt, Duration wait, BooleanSupplier stopping,
                              Consumer<WarehouseBusyException> onFirstBusy) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean told = false;
        while (true) {
            try {
                return attempt.get();
            } catch (WarehouseBusyException busy) {
                if (System.nanoTime() - deadline >= 0) {
                    throw busy;
                }
                if (!told) {
                    onFirstBusy.accept(busy);
                    told = true;
                }
            }
            if (stopping.getAsBoolean()) {
                return null;
            }
            try {
                Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            if (stopping.getAsBoolean()) {
                return null;
            }
        }
    }
}
