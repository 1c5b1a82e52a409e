package dev.clarisync.sync;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One batch of backlog entries of a per-parent stream, being fetched in parallel: carried on the
 * exchange (property {@value #PROPERTY}, shared by the split's parts) and registered with the run while
 * in flight. The split's {@link BatchResults} aggregation strategy files each part's answer here; the
 * batch writer, or on failure the salvage step, writes what was answered.
 */
public final class DetailsBatch {
    public static final String PROPERTY = "clariBatch";

    final ParentPass pass;
    final List<BacklogEntry> entries;
    private final Map<String, DetailsResult> answered = new ConcurrentHashMap<>();

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
}
