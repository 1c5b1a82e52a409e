package dev.clarisync.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks that an answer means what it says before anything acts on it: paging values that would make the next
 * request skip calls, loop, or leave the spec's bounds, and a {@code /call-details} answer about another call.
 * Trust nothing in a response blindly (see {@code clari-api.md}): these answers end the sync with one line naming
 * the request, or (details) leave the call owed, instead of being sent on or stored under the wrong key.
 */
public final class AnswerIntegrity {

    /** The spec's bounds of {@code skip} on {@code GET /calls}. */
    public static final int SPEC_MAX_SKIP = 10_000;
    /** The spec's bounds of {@code limit} on {@code GET /calls}. */
    public static final int SPEC_MAX_LIMIT = 100;

    private AnswerIntegrity() {
    }

    /** An answer whose values contradict each other or the request; not retried (the same question gets the same answer). */
    public static final class InconsistentAnswerException extends RuntimeException {
        public InconsistentAnswerException(String message) {
            super(message);
        }
    }

    /**
     * Throws {@link IllegalStateException} when {@code request} has a parameter outside the spec's bounds
     * (skip 0..10000, limit 1..100): such a request is never sent.
     */
    public static void requireInBounds(PageRequest request) {
        if (request.skip() < 0 || request.skip() > SPEC_MAX_SKIP || request.limit() < 1 || request.limit() > SPEC_MAX_LIMIT) {
            throw new IllegalStateException("refusing to send GET /calls?" + request.query() + ": skip must be 0.." + SPEC_MAX_SKIP
                    + " and limit 1.." + SPEC_MAX_LIMIT + " (the API's declared bounds); check clari.api.max-skip and clari.api.page-size");
        }
    }

    /**
     * Checks a {@code /calls} page against its request: {@code matched} not negative and not below the calls seen;
     * {@code hasMore} agreeing with {@code matched}; no more calls than asked for; no {@code hasMore} on an empty page;
     * a {@code nextPageSkip} that moves forward without passing calls never returned.
     *
     * @throws InconsistentAnswerException with one line naming the request and the values
     */
    public static void checkPage(PageRequest request, int returned, Pagination page) {
        String problem = pageProblem(request, returned, page);
        if (problem != null) {
            throw new InconsistentAnswerException("GET /calls?" + request.query() + " answered an inconsistent page: " + problem
                    + " (matched " + page.matched() + ", hasMore " + page.hasMore() + ", nextPageSkip " + page.nextPageSkip() + ", "
                    + returned + " calls); nothing of it was kept and the cursor did not move: run again, and report it to Clari if it repeats");
        }
    }

    static String pageProblem(PageRequest request, int returned, Pagination page) {
        int skip = request.skip();
        if (returned > request.limit()) {
            return returned + " calls for limit " + request.limit();
        }
        Long matched = page.matched();
        if (matched != null && matched < 0) {
            return "matched is negative";
        }
        if (matched != null && matched < (long) skip + returned) {
            return "matched " + matched + " is below skip + calls returned (" + ((long) skip + returned) + ")";
        }
        Boolean hasMore = page.hasMore();
        if (Boolean.TRUE.equals(hasMore) && returned == 0) {
            // CallsWindowScan rescans the window and, if it repeats, fails naming the window (UnstableWindowException)
            return null;
        }
        if (matched != null && hasMore != null && hasMore != (matched > (long) skip + returned)) {
            return "hasMore " + hasMore + " contradicts matched " + matched;
        }
        Integer next = page.nextPageSkip();
        if (Boolean.TRUE.equals(hasMore) && next != null && (next <= skip || next > (long) skip + returned)) {
            return next < 0 ? "nextPageSkip " + next + " is negative"
                    : next <= skip ? "nextPageSkip " + next + " does not move past skip " + skip
                    : "nextPageSkip " + next + " would pass calls never returned (skip " + skip + " + " + returned + ")";
        }
        return null;
    }

    /**
     * Null when a {@code /call-details} answer is about {@code askedId}; otherwise what is wrong, for a warning. Such an
     * answer is not stored (not under its own id, which was not asked for, nor under the asked id) and the call stays owed.
     */
    public static String detailsMismatch(String askedId, JsonNode call) {
        JsonNode id = call == null ? null : call.get("id");
        if (id != null && id.isTextual() && id.textValue().equals(askedId)) {
            return null;
        }
        return "GET /call-details?id=" + askedId + " answered with call.id " + (id == null ? "missing" : id.toString());
    }
}
