package dev.clarisync.api;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Plans the {@code /calls} requests of one sync and decides, page by page, what the answer means.
 *
 * <p>The sync's range {@code [from, to)} is cut into windows, oldest first. Each window is paged with
 * {@code skip}/{@code limit} until the API says it has no more. Two API facts shape the rest:
 * <ul>
 *   <li><b>The offset cap.</b> {@code skip} may not exceed {@code maxSkip} (10,000), so a window whose first
 *       page reports {@code matched > maxSkip} cannot be paged through: it is halved (second half kept
 *       for later) and the first half is asked again, recursively, until each window fits.</li>
 *   <li><b>The moving set.</b> Offsets are over a live set: a call that changes status mid-scan leaves the
 *       (frozen) window and shifts every later offset. When {@code matched} differs from the window's
 *       first page, the window is rescanned from offset 0; after {@code maxRescans} the sync fails rather
 *       than guess.</li>
 * </ul>
 * The cursor may advance only to the end of a window that was read completely and consistently:
 * {@link #completedUpTo()}. Not thread-safe: one scan per stream per run.
 */
public final class CallsWindowScan {

    /** What the caller does with the page just accepted. */
    public enum Step {
        /** Keep the page's calls and ask for the next page of the same window. */
        CONTINUE,
        /** Keep the page's calls; the window is complete, so the cursor may advance to its end. */
        WINDOW_DONE,
        /** Drop the page: the window was too large and was halved. */
        SPLIT,
        /** Keep the page's calls (they are real) but read the window again from offset 0. */
        RESCAN
    }

    private final Deque<ModifiedWindow> pending = new ArrayDeque<>();
    private final int pageSize;
    private final int maxSkip;
    private final int maxRescans;
    private ModifiedWindow current;
    private int skip;
    private Long matched;
    private int rescans;
    private Instant completedUpTo;
    private String lastRescanReason;

    public CallsWindowScan(Instant from, Instant to, int pageSize, int maxSkip, int maxRescans) {
        this.pageSize = pageSize;
        this.maxSkip = maxSkip;
        this.maxRescans = maxRescans;
        if (from.isBefore(to)) {
            pending.push(new ModifiedWindow(from, to));
        }
    }

    public boolean hasNext() {
        return current != null || !pending.isEmpty();
    }

    /** The next page to request. */
    public PageRequest next() {
        if (current == null) {
            current = pending.pop();
            skip = 0;
            matched = null;
            rescans = 0;
        }
        PageRequest request = new PageRequest(current, skip, pageSize);
        AnswerIntegrity.requireInBounds(request); // schema contract (#14): never send a parameter outside the spec's bounds
        return request;
    }

    /**
     * Takes the answer to the last {@link #next()} request.
     *
     * @param returned the number of calls in the page
     * @param page     its pagination object (parts may be null when the API omits them)
     */
    public Step accept(int returned, Pagination page) {
        return accept(returned, page, pageSize);
    }

    /**
     * Like {@link #accept(int, Pagination)}, for a page asked with {@code limitAsked} calls instead of the
     * scan's page size (the page size backs off when large pages fail: {@link PageSizePolicy}). Offsets
     * are counts of calls, so the scan stays exact at any size.
     */
    public Step accept(int returned, Pagination page, int limitAsked) {
        if (current == null) {
            throw new IllegalStateException("accept() without next()");
        }
        AnswerIntegrity.checkPage(new PageRequest(current, skip, limitAsked), returned, page); // schema contract (#14)
        if (page.matched() != null) {
            if (skip == 0 && matched == null) {
                if (page.matched() > maxSkip) {
                    return split(page.matched());
                }
                matched = page.matched();
            } else if (!page.matched().equals(matched)) {
                return rescan("matched changed from " + matched + " to " + page.matched());
            }
        }
        boolean last;
        int nextSkip;
        if (page.hasMore() != null) {
            last = !page.hasMore();
            nextSkip = page.nextPageSkip() != null ? page.nextPageSkip() : skip + returned;
        } else {
            last = returned < limitAsked;
            nextSkip = skip + returned;
        }
        if (!last && returned == 0) {
            return rescan("the API reported more calls but sent an empty page at skip " + skip);
        }
        if (last) {
            completedUpTo = current.to();
            current = null;
            return Step.WINDOW_DONE;
        }
        if (nextSkip > maxSkip) {
            // the window grew past the cap while we paged it: halve it rather than lose its tail
            return split(matched == null ? -1 : matched);
        }
        skip = nextSkip;
        return Step.CONTINUE;
    }

    private Step split(long seen) {
        if (!current.splittable()) {
            throw new OffsetCapException(current, seen, maxSkip);
        }
        pending.push(current.secondHalf());
        pending.push(current.firstHalf());
        current = null;
        return Step.SPLIT;
    }

    private Step rescan(String why) {
        if (++rescans > maxRescans) {
            throw new UnstableWindowException(current, why, maxRescans);
        }
        lastRescanReason = why;
        skip = 0;
        matched = null;
        return Step.RESCAN;
    }

    public String lastRescanReason() {
        return lastRescanReason;
    }

    /** End of the newest window read completely; null while none is. The cursor may move here. */
    public Instant completedUpTo() {
        return completedUpTo;
    }

    /** The window in progress (or the next one), for progress and logs. */
    public ModifiedWindow window() {
        return current != null ? current : pending.peek();
    }
}
