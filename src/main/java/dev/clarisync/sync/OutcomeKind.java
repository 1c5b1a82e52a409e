package dev.clarisync.sync;

/**
 * How a run (or a command) ended, as a kind: what the caller should do next depends on it. The CLI maps each kind to
 * its documented exit code ({@code cli.ExitCodes}); nothing below the CLI knows exit codes.
 */
public enum OutcomeKind {
    OK,
    /** Anything else: the message says what happened; running again may help. */
    FAILED,
    /** A setting is missing or wrong (including a base URL that is not the API's). */
    BAD_CONFIGURATION,
    /** The API refused the credentials. */
    CREDENTIALS_REJECTED,
    /** The weekly request budget is spent (ours or the API's). */
    QUOTA_EXHAUSTED,
    /** Another process holds the warehouse. */
    WAREHOUSE_BUSY
}
