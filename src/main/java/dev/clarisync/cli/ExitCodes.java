package dev.clarisync.cli;

import dev.clarisync.sync.OutcomeKind;

/**
 * Process exit codes, stable for scripts (documented in the README), one per {@link OutcomeKind}. Only the CLI and the
 * Launcher know them (guarded by PackageRulesTest). The constants are derived from {@link #of}, so they are not
 * compile-time constants and every use stays visible in the bytecode.
 */
public final class ExitCodes {
    public static final int OK = of(OutcomeKind.OK);
    public static final int FAILED = of(OutcomeKind.FAILED);
    public static final int BAD_CONFIGURATION = of(OutcomeKind.BAD_CONFIGURATION);
    public static final int CREDENTIALS_REJECTED = of(OutcomeKind.CREDENTIALS_REJECTED);
    public static final int QUOTA_EXHAUSTED = of(OutcomeKind.QUOTA_EXHAUSTED);
    public static final int WAREHOUSE_BUSY = of(OutcomeKind.WAREHOUSE_BUSY);

    private ExitCodes() {
    }

    /** The documented exit code of {@code kind}: 0 ok, 1 failed, 2 configuration, 3 credentials, 4 quota, 5 warehouse busy. */
    public static int of(OutcomeKind kind) {
        return switch (kind) {
            case OK -> 0;
            case FAILED -> 1;
            case BAD_CONFIGURATION -> 2;
            case CREDENTIALS_REJECTED -> 3;
            case QUOTA_EXHAUSTED -> 4;
            case WAREHOUSE_BUSY -> 5;
        };
    }
}
