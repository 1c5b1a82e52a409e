package dev.clarisync.api;

/** More calls changed within one millisecond than the API's offset cap lets us page through. */
public final class OffsetCapException extends RuntimeException {
    public OffsetCapException(ModifiedWindow window, long matched, int maxSkip) {
        super("window " + window + " matches " + matched + " calls, more than the API's offset cap ("
                + maxSkip + ") allows, and cannot be split further; no data was skipped, the cursor did not move");
    }
}
