package dev.clarisync.cli;

import dev.clarisync.warehouse.BusyWait;
import dev.clarisync.warehouse.WarehouseBusyException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * {@code sql} and {@code report} with {@code --wait=DURATION}: while a sync of the {@code run} service has the DuckDB
 * file, say so once on stderr and try again until the file is free or the time is up (then exit 5 as without it).
 */
record WarehouseWait(Duration upTo, PrintStream err) {

    static WarehouseWait of(Duration wait, PrintStream err) {
        return new WarehouseWait(wait == null ? Duration.ZERO : wait, err);
    }

    /** Runs {@code attempt}, repeating it while the warehouse is busy, for up to {@link #upTo}. */
    <T> T run(Supplier<T> attempt) {
        if (upTo.isZero()) {
            return attempt.get();
        }
        T result = BusyWait.retry(attempt, upTo, () -> false,
                busy -> err.println("waiting up to " + upTo + " for the warehouse: " + busy.getMessage()));
        if (result == null) {
            throw new WarehouseBusyException("interrupted while waiting for the warehouse");
        }
        return result;
    }
}
