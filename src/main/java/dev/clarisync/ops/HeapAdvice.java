package dev.clarisync.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns at start when the heap looks too small for the workspaces synced at once. Each syncing workspace holds up to
 * two details batches of parsed JSON (the one being written, the next being fetched), about 50 KB a call; the 50
 * workspace benchmark at 50 calls a batch kept about 370 MB live and spent its time collecting garbage in a 128 MB
 * heap. A warning, not a refusal: the estimate is rough and the JVM may still cope.
 */
public final class HeapAdvice {
    private static final Logger LOG = LoggerFactory.getLogger(HeapAdvice.class);
    /** Heap of a parsed details answer, as measured (a ~8 KB body becomes Jackson nodes and maps). */
    static final long BYTES_PER_CALL = 50_000;
    /** What the process needs besides the batches: Camel, caches, pages of calls. */
    static final long BASE_BYTES = 48L << 20;

    private HeapAdvice() {
    }

    /** The heap estimate for {@code workspaces} syncing at once with details batches of {@code batchSize} calls. */
    static long estimate(int workspaces, int batchSize) {
        return BASE_BYTES + 2L * workspaces * batchSize * BYTES_PER_CALL;
    }

    /** Logs a warning when {@link #estimate} exceeds {@code maxHeap}; returns whether it did. */
    public static boolean warnIfShort(int workspaces, int batchSize, long maxHeap) {
        long need = estimate(workspaces, batchSize);
        if (need <= maxHeap) {
            return false;
        }
        LOG.warn("{} workspaces syncing at once with details batches of {} calls need about {} MB of heap, more than the "
                + "JVM's {} MB: lower clari.details.batch-size or clari.workspaces.parallelism, or raise -Xmx",
                workspaces, batchSize, need >> 20, maxHeap >> 20);
        return true;
    }
}
