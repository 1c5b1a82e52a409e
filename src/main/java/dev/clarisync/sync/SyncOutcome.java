package dev.clarisync.sync;

import dev.clarisync.ops.SyncStatus;
import java.time.Duration;
import java.util.Map;

/** How a sync ended: the exit code, one line for people, and what it did. */
public record SyncOutcome(String runId, int exitCode, String message, Map<String, Long> rowsPerTable,
                          long requests, long retries, long callsSeen, long callsChanged, Duration duration)
        implements SyncStatus {

    @Override
    public boolean credentialsRejected() {
        return exitCode == ExitCodes.CREDENTIALS_REJECTED;
    }

    @Override
    public boolean ok() {
        return exitCode == ExitCodes.OK;
    }

    public long totalRows() {
        return rowsPerTable.values().stream().mapToLong(Long::longValue).sum();
    }
}
