package dev.clarisync.sync;

import dev.clarisync.config.RejectionLimit;

/**
 * A stream set aside more records for the first time in one run than {@code clari.sync.max-rejected} allows: the run
 * fails (exit 1), though every other record was written and the set-aside ones are in {@code _rejected_records}. So
 * many unreadable answers at once look like a change of the API, which must not be quarantined silently.
 */
public final class SetAsideLimitException extends RuntimeException {
    SetAsideLimitException(String message) {
        super(message, null, false, false);
    }

    /** Fails when {@code newly} records of {@code read} are more than the limit allows. */
    static void check(String stream, long newly, long read, RejectionLimit limit) {
        long allowed = limit.allowed(read);
        if (newly > allowed) {
            throw new SetAsideLimitException(stream + ": " + newly + " of " + read + " records could not be read or stored and were set"
                    + " aside (see _rejected_records), more than clari.sync.max-rejected allows (" + limit + ": " + allowed
                    + "); every other record was written. Look at the reasons; raise the limit to accept them");
        }
    }
}
