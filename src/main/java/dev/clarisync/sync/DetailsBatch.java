package dev.clarisync.sync;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One batch of backlog entries of a per-parent stream, being fetched in parallel: carried on the
 * exchange (property {@value #PROPERTY}, shared by the split's parts) and registered with the run while
 * in flight. The split's {@link BatchResults} aggregation strategy files each part's answer here; the
 * batch writer, or on failure the salvage step, writes what was answered.
 *
 * <p>A fetched batch is handed to a {@link BatchWriter} thread ({@link #written}) and the next batch is fetched
 * while it commits; that next batch holds on to it ({@link #previous}) until it has waited for the write, so
 * whoever ends the run (the stream's last step, or salvage) can wait for it too. At most two batches are
 * reachable from the run: the one being fetched and the one being written.
 */
public final class DetailsBatch {
    public static final String PROPERTY = "clariBatch";

    final ParentPass pass;
    final List<BacklogEntry> entries;
    private final Map<String, DetailsResult> answered = new ConcurrentHashMap<>();
    /** The batch handed to the writer before this one, until this one has waited for its write. */
    volatile DetailsBatch previous;
    /** This batch's write, once handed to the writer (null before). */
    volatile CompletableFuture<Void> written;

    DetailsBatch(ParentPass pass, List<BacklogEntry> entries) {
        this.pass = pass;
        this.entries = entries;
    }

    void answered(DetailsResult result) {
        answered.put(result.entry().callId(), result);
    }

    /** Each entry's result; an entry without an answer was skipped as already fetched at its version. */
    List<DetailsResult> results() {
        return entries.stream().map(e -> answered.getOrDefault(e.callId(), DetailsResult.alreadyFetched(e))).toList();
    }

    /** The answered entries only (fetched or found gone): what a failed batch can still write. */
    List<DetailsResult> answeredResults() {
        return entries.stream().map(e -> answered.get(e.callId())).filter(java.util.Objects::nonNull).toList();
    }

    /** Waits for the previous batch's write, if one is still held; its failure is rethrown. */
    void awaitPrevious() {
        DetailsBatch p = previous;
        if (p != null) {
            p.awaitWritten();
            previous = null;
        }
    }

    /** Waits for this batch's own write, if it was handed to the writer; its failure is rethrown. */
    void awaitWritten() {
        CompletableFuture<Void> w = written;
        if (w != null) {
            BatchWriter.await(w);
        }
    }
}
