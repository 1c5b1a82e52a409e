package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.api.CallsWindowScan;
import dev.clarisync.api.CallsWindowScan.Step;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One list stream's walk through its pages within one run: carried on the exchange (property
 * {@value #PROPERTY}) by the {@code clari-stream} route, never held by a bean. Not thread-safe: a list
 * stream's pages and their split run on one thread.
 */
public final class StreamPass {
    public static final String PROPERTY = "clariPass";

    final StreamSpec spec;
    /** The window scan of a paged cursor stream; null for a single-request stream. */
    final CallsWindowScan scan;
    /** What the scan said about the page in hand. */
    Step step;
    int pages;
    /** A single-request stream has read its one page. */
    boolean read;
    /** The page's records that passed the idempotent consumer: the ones to write. */
    final List<JsonNode> changed = new ArrayList<>();
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
        return scan != null ? scan.hasNext() : !read;
    }

    /** True when the page in hand completes a unit the stream can commit to: a cursor window, or the whole list. */
    boolean unitDone() {
        return scan == null || step == Step.WINDOW_DONE;
    }
}
