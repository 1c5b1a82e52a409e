package dev.clarisync.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The SQL of the run log, {@code _sync_runs}: one row per sync, each write in its own small transaction. */
public final class RunLogStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Warehouse w;

    RunLogStore(Warehouse w) {
        this.w = w;
    }

    /** Records the start of a run in {@code _sync_runs} (its own small transaction). */
    public void startRun(String runId, String command, Instant startedAt) {
        Objects.requireNonNull(runId, "runId");
        w.inTransaction(tx -> w.update("INSERT INTO " + w.table(Warehouse.SYNC_RUNS) + " (" + w.q("run_id") + ", " + w.q("command") + ", "
                + w.q("started_at") + ") VALUES (?, ?, ?)", runId, command, startedAt));
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
            int n = w.update("UPDATE " + w.table(Warehouse.SYNC_RUNS) + " SET " + w.q("ended_at") + " = ?, " + w.q("outcome") + " = ?, "
                            + w.q("message") + " = ?, " + w.q("rows_written") + " = ?, " + w.q("requests") + " = ?, "
                            + w.q("retries") + " = ?, " + w.q("details_not_found") + " = ?, " + w.q("records_rejected")
                            + " = ? WHERE " + w.q("run_id") + " = ?",
                    endedAt, outcome, message, rows, requests, retries, detailsNotFound, rejected, runId);
            if (n == 0) {
                w.update("INSERT INTO " + w.table(Warehouse.SYNC_RUNS) + " (" + w.q("run_id") + ", " + w.q("ended_at") + ", " + w.q("outcome")
                                + ", " + w.q("message") + ", " + w.q("rows_written") + ", " + w.q("requests") + ", " + w.q("retries")
                                + ", " + w.q("details_not_found") + ", " + w.q("records_rejected") + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        runId, endedAt, outcome, message, rows, requests, retries, detailsNotFound, rejected);
            }
            return null;
        });
    }
}
