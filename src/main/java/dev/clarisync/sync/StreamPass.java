package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.api.CallsWindowScan;
import dev.clarisync.api.CallsWindowScan.Step;
import dev.clarisync.api.PageRequest;
import dev.clarisync.api.Pagination;
import dev.clarisync.routes.ExchangeProperties;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One list stream's walk through its pages within one run: carried on the exchange (property {@value
 * ExchangeProperties#PASS}) by the {@code clari-stream} route, never held by a bean. Every field is set here, by the
 * walk's own steps ({@link #hasNextPage}, {@link #nextRequest}, {@link #pageRead}); {@link ListStream} only asks.
 * Not thread-safe: a list stream's pages run on one thread.
 */
public final class StreamPass {
    private final StreamSpec spec;
    /** The cursor scan was the first (no cursor yet): it read every record, so it counts as a list reconciliation. */
    private final boolean backfill;
    /** The window scan in hand; null for a single-request stream. Becomes the reconciliation's once the cursor scan is done. */
    private CallsWindowScan scan;
    /** The list reconciliation to scan once the cursor scan is done ({@link ListReconciliation}); null: none. */
    private CallsWindowScan reconcile;
    /** The list reconciliation was planned (or found not due). */
    private boolean reconcilePlanned;
    /** The scan in hand is the list reconciliation: by call time, and it moves no cursor. */
    private boolean reconciling;
    /** What the scan said about the page in hand. */
    private Step step;
    private int pages;
    /** A single-request stream has read its one page. */
    private boolean read;
    /** The page's records' versions, by record identity: hashed once, asked by the consumer, the backlog and _processed. */
    private final Map<JsonNode, String> versions = new IdentityHashMap<>();
    /** Full refresh: every id listed, so the ones no longer listed can be removed at the end. */
    private final Set<String> listed = new HashSet<>();

    StreamPass(StreamSpec spec, CallsWindowScan scan, boolean backfill) {
        this.spec = spec;
        this.scan = scan;
        this.backfill = backfill;
    }

    public StreamSpec spec() {
        return spec;
    }

    /**
     * Whether a page is left. When the cursor scan is done, the list reconciliation is planned once ({@code plan} gets
     * whether the cursor scan was a backfill), after the cursor scan so the new and changed records it queued come first.
     */
    boolean hasNextPage(Function<Boolean, CallsWindowScan> plan) {
        if (scan != null && !reconcilePlanned && !scan.hasNext()) {
            reconcilePlanned = true;
            reconcile = plan.apply(backfill);
        }
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

    /** The next page of the scan in hand; null for a single-request stream (its one request has no window). */
    PageRequest nextRequest() {
        return scan == null ? null : scan.next();
    }

    /**
     * A page was answered with {@code records} records: counts it and starts its versions afresh. For a windowed stream,
     * returns what the scan does next ({@link CallsWindowScan#accept}); null for a single-request stream.
     *
     * @param asked the page size actually asked for (the account's page size may have lowered it)
     */
    Step pageRead(int records, Supplier<Pagination> pagination, int asked) {
        pages++;
        read = true;
        versions.clear();
        step = scan == null ? null : scan.accept(records, pagination.get(), asked);
        return step;
    }

    CallsWindowScan scan() {
        return scan;
    }

    /** Full refresh: these ids were listed. */
    void listed(Collection<String> ids) {
        listed.addAll(ids);
    }

    Set<String> listed() {
        return listed;
    }

    /** The record's version ({@link ListStream#version(StreamSpec, JsonNode)}), computed once per record of the page in hand. */
    String version(JsonNode record) {
        return versions.computeIfAbsent(record, r -> ListStream.version(spec, r));
    }

    boolean reconciling() {
        return reconciling;
    }

    int pages() {
        return pages;
    }

    /** True when the page in hand completes a unit the stream can commit to: a cursor window, or the whole list. */
    boolean unitDone() {
        return scan == null || step == Step.WINDOW_DONE;
    }

    /** Where the cursor may move once the page in hand is written: null for a full refresh or a reconciliation. */
    Instant cursorReached() {
        return scan == null || reconciling ? null : scan.completedUpTo();
    }

    /** Whether the page in hand ends the list reconciliation. */
    boolean reconciliationDone() {
        return unitDone() && reconciling && !scan.hasNext();
    }
}
