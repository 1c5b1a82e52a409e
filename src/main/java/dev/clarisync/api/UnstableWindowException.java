package dev.clarisync.api;

/** A window kept changing while it was paged, more often than the rescan budget allows. */
public final class UnstableWindowException extends RuntimeException {
    public UnstableWindowException(ModifiedWindow window, String why, int maxRescans) {
        super("calls in window " + window + " kept changing during the scan (" + why + ") after " + maxRescans
                + " rescans; the cursor did not move, run again later (or raise clari.sync.max-rescans)");
    }
}
