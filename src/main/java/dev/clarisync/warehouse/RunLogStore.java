package dev.clarisync.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The run log, {@code _sync_runs}: one row per sync, each write in its own small transaction; the dialect builds the statements. */
public final class RunLogStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Warehouse w;

    RunLogStore(Warehouse w) {
        this.w = w;
    }

    /** Records the start of a run in {@code _sync_runs} (its own small transaction). */
    public void startRun(String runId, String command, Instant startedAt) {
        Objects.requireNonNull(runId, "runId");
        w.inTransaction(tx -> {
            w.history().ensureAll(); // a first sync with history on seeds it, whether or not it writes rows
            return w.update(w.dialect().insert(table(), "run_id", "command", "started_at"), runId, command, startedAt);
        });
    }

    /**
     * Records the end of a run in {@code _sync_runs} (its own small transaction): outcome, message, rows written per
     * table (as a JSON object), counters. If {@link #startRun} was not called for {@code runId}, the row is
     * inserted without a start time.
     */
    public void finishRun(String runId, String outcome, String message, Map<String, Long> rowsPerTable, long requests,
                          long retries, long detailsNotFound, long rejected, Instant endedAt) {
        Objects.requireNonNull(runId, "runId");
        String rows;
        try {
            rows = JSON.writeValueAsString(new TreeMap<>(rowsPerTable == null ? Map.of() : rowsPerTable));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("rows per table cannot be written as JSON", e);
        }
        w.inTransaction(tx -> {
            Dialect d = w.dialect();
            int n = w.update(d.update(table(), List.of("ended_at", "outcome", "message", "rows_written", "requests", "retries",
                    "details_not_found", "records_rejected"), "run_id"),
                    endedAt, outcome, message, rows, requests, retries, detailsNotFound, rejected, runId);
            if (n == 0) {
                w.update(d.insert(table(), "run_id", "ended_at", "outcome", "message", "rows_written", "requests", "retries",
                        "details_not_found", "records_rejected"),
                        runId, endedAt, outcome, message, rows, requests, retries, detailsNotFound, rejected);
            }
            return null;
        });
    }

    private String table() {
        return w.table(BookkeepingTables.SYNC_RUNS);
    }
}
