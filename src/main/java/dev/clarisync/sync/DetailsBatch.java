package dev.clarisync.sync;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One batch of backlog entries of a per-parent stream: the unit of writing. Its entries are handed to the stream's
 * split one by one ({@link OwedDetails}), and the next batch's requests start while this one's slowest answer is
 * still out; each part's answer is filed here ({@link PerParentStream#handBack}, {@link #partDone}). When every entry has been
 * handed out and answered, the batch is {@link #complete}, and its write runs on a writer thread after the previous
 * batch's write ({@link #written}): batches are written one at a time, in the order they were taken.
 */
public final class DetailsBatch {

    final ParentPass pass;
    final List<BacklogEntry> entries;
    /** id → version the warehouse knows for these entries (the idempotent consumer's memory for this batch). */
    final Map<String, String> known;
    private final Map<String, DetailsResult> answered = new ConcurrentHashMap<>();
    private final AtomicInteger finished = new AtomicInteger();
    private volatile boolean allHandedOut;
    /** Completed when every entry was handed out and has finished. */
    final CompletableFuture<Void> complete = new CompletableFuture<>();
    /** This batch's write: after the previous batch's write and this batch's completion (set when taken). */
    volatile CompletableFuture<Void> written;
    /** Whoever writes this batch (its write, or salvage) claims it first, so it is written at most once. */
    private final AtomicBoolean claimed = new AtomicBoolean();

    DetailsBatch(ParentPass pass, List<BacklogEntry> entries, Map<String, String> known) {
        this.pass = pass;
        this.entries = entries;
        this.known = known;
    }

    /** The last entry was handed out: the batch completes when the parts out have finished. */
    void handedOut() {
        allHandedOut = true;
        checkComplete();
    }

    /** One part of this batch finished: its result (null when it was skipped as already fetched at its version). */
    void partDone(DetailsResult result) {
        if (result != null) {
            answered.put(result.entry().callId(), result);
        }
        finished.incrementAndGet();
        checkComplete();
    }

    private void checkComplete() {
        if (allHandedOut && finished.get() >= entries.size()) {
            complete.complete(null);
        }
    }

    /** True for the one caller that may write this batch. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    /** Each entry's result; an entry without an answer was skipped as already fetched at its version. */
    List<DetailsResult> results() {
        return entries.stream().map(e -> answered.getOrDefault(e.callId(), DetailsResult.alreadyFetched(e))).toList();
    }

    /** The answered entries only (fetched or found gone): what a failed batch can still write. */
    List<DetailsResult> answeredResults() {
        return entries.stream().map(e -> answered.get(e.callId())).filter(java.util.Objects::nonNull).toList();
    }

    /** Waits for this batch's write; its failure is rethrown. */
    void awaitWritten() {
        CompletableFuture<Void> w = written;
        if (w != null) {
            BatchWriter.await(w);
        }
    }
}
