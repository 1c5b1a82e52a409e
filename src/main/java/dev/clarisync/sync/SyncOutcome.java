package dev.clarisync.sync;

import dev.clarisync.ops.SyncStatus;
import java.time.Duration;
import java.util.Map;

/** How a sync ended: its kind (the CLI maps it to an exit code), one line for people, and what it did. */
public record SyncOutcome(String runId, OutcomeKind kind, String message, Map<String, Long> rowsPerTable,
                          long requests, long retries, long callsSeen, long callsChanged, long setAside, Duration duration)
        implements SyncStatus {

    @Override
    public boolean credentialsRejected() {
        return kind == OutcomeKind.CREDENTIALS_REJECTED;
    }

    @Override
    public boolean ok() {
        return kind == OutcomeKind.OK;
    }

    /** A sync that failed before it began (its warehouse could not record the start): nothing was done. */
    public static SyncOutcome notStarted(Throwable failure) {
        Failure f = Failure.of(failure);
        return new SyncOutcome(null, f.kind(), f.message(), Map.of(), 0, 0, 0, 0, 0, Duration.ZERO);
    }

    /** False for {@link #notStarted}. */
    public boolean started() {
        return runId != null;
    }

    public long totalRows() {
        return rowsPerTable.values().stream().mapToLong(Long::longValue).sum();
    }
}
