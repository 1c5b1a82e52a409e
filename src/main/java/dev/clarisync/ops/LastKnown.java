package dev.clarisync.ops;

import dev.clarisync.warehouse.WarehouseReleasedException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A gauge read from the warehouse that keeps answering while the DuckDB file is released between syncs: then the
 * value read last (while the file was open) is the truth, since only a sync changes it. A scrape must never take
 * the file from its readers.
 */
public final class LastKnown implements LongSupplier {
    private final LongSupplier source;
    private final AtomicLong last = new AtomicLong();

    public LastKnown(LongSupplier source) {
        this.source = source;
    }

    @Override
    public long getAsLong() {
        try {
            long v = source.getAsLong();
            last.set(v);
            return v;
        } catch (WarehouseReleasedException e) {
            return last.get();
        }
    }
}
