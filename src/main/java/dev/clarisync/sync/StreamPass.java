package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.api.CallsWindowScan.Step;
import dev.clarisync.api.CallsWindowScan;
import dev.clarisync.routes.ExchangeProperties;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One list stream's walk through its pages within one run: carried on the exchange (property
 * {@value ExchangeProperties#PASS}) by the {@code clari-stream} route, never held by a bean. Not thread-safe: a list
 * stream's pages and their split run on one thread.
 */
public final class StreamPass {

    final StreamSpec spec;
    /** The window scan of a paged cursor stream; null for a single-request stream. Becomes {@link #reconcile} after. */
    CallsWindowScan scan;
    /** The list reconciliation to scan once the cursor scan is done ({@link ListReconciliation}); null: none. */
    CallsWindowScan reconcile;
    /** The cursor scan is the first (no cursor yet): it reads every record, so it counts as a list reconciliation. */
    boolean backfill;
    /** The list reconciliation was planned (or found not due). */
    boolean reconcilePlanned;
    /** The scan in hand is the list reconciliation: by call time, and it moves no cursor. */
    boolean reconciling;
    /** What the scan said about the page in hand. */
    Step step;
    int pages;
    /** A single-request stream has read its one page. */
    boolean read;
    /** The page's records that passed the idempotent consumer: the ones to write. */
    final List<JsonNode> changed = new ArrayList<>();
    /** The page's records' versions, by record identity: hashed once, asked by the consumer, the backlog and _processed. */
    final Map<JsonNode, String> versions = new IdentityHashMap<>();
    /** Full refresh: every id listed, so the ones no longer listed can be removed at the end. */
    final Set<String> listed = new HashSet<>();

    StreamPass(StreamSpec spec, CallsWindowScan scan) {
        this.spec = spec;
        this.scan = scan;
    }

    public StreamSpec spec() {
        return spec;
    }

    boolean hasNextPage() {
        if (scan == null) {
            return !read;
        }
        if (!scan.hasNext() && reconcile != null) {
            scan = reconcile;
            reconcile = null;
            reconciling = true;
        }
        return scan.hasNext();
    }

    /** True when the page in hand completes a unit the stream can commit to: a cursor window, or the whole list. */
    boolean unitDone() {
        return scan == null || step == Step.WINDOW_DONE;
    }
}
