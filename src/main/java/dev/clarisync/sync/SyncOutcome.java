package dev.clarisync.sync;

import dev.clarisync.ops.SyncStatus;
import java.time.Duration;
import java.util.Map;

/** How a sync ended: its kind (the CLI maps it to an exit code), one line for people, and what it did. */
public record SyncOutcome(String runId, OutcomeKind kind, String message, Map<String, Long> rowsPerTable,
                          long requests, long retries, long callsSeen, long callsChanged, Duration duration)
        implements SyncStatus {

    @Override
    public boolean credentialsRejected() {
        return kind == OutcomeKind.CREDENTIALS_REJECTED;
    }

    @Override
    public boolean ok() {
        return kind == OutcomeKind.OK;
    }

    public long totalRows() {
        return rowsPerTable.values().stream().mapToLong(Long::longValue).sum();
    }
}
