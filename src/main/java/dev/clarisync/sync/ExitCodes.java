package dev.clarisync.sync;

/** Process exit codes, stable for scripts (documented in the README). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_CONFIGURATION = 2;
    public static final int CREDENTIALS_REJECTED = 3;
    public static final int QUOTA_EXHAUSTED = 4;
    public static final int WAREHOUSE_BUSY = 5;

    private ExitCodes() {
    }
}
