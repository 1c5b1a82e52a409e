package dev.clarisync.sync;

import dev.clarisync.ops.SyncStatus;
import java.time.Duration;
import java.util.Map;

/**
 * How a sync ended: its kind (the CLI maps it to an exit code), one line for people, and what it did.
 *
 * @param setAside    records set aside in {@code _rejected_records} by this run (tried again and still unreadable ones too)
 * @param textCleaned text values the warehouse's clean-up rule changed, per table (NUL removed on PostgreSQL,
 *                    unpaired surrogates replaced): {@link dev.clarisync.warehouse.TextRule}
 * @param unavailable streams skipped because the account cannot read them, with Clari's answer
 *                    ({@code scorecards -> HTTP 403: Forbidden}), in run order
 */
public record SyncOutcome(String runId, OutcomeKind kind, String message, Map<String, Long> rowsPerTable,
                          long requests, long retries, long callsSeen, long callsChanged, long setAside, Duration duration,
                          Map<String, Long> textCleaned, Map<String, String> unavailable)
        implements SyncStatus {

    public SyncOutcome {
        textCleaned = textCleaned == null ? Map.of() : Map.copyOf(textCleaned);
        unavailable = unavailable == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(unavailable));
    }

    /** An outcome with nothing cleaned and nothing skipped. */
    public SyncOutcome(String runId, OutcomeKind kind, String message, Map<String, Long> rowsPerTable, long requests, long retries,
                       long callsSeen, long callsChanged, Duration duration) {
        this(runId, kind, message, rowsPerTable, requests, retries, callsSeen, callsChanged, 0, duration, Map.of(), Map.of());
    }

    /** Text values cleaned in every table. */
    public long totalTextCleaned() {
        return textCleaned.values().stream().mapToLong(Long::longValue).sum();
    }

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
        return new SyncOutcome(null, f.kind(), f.message(), Map.of(), 0, 0, 0, 0, Duration.ZERO);
    }

    /** False for {@link #notStarted}. */
    public boolean started() {
        return runId != null;
    }

    public long totalRows() {
        return rowsPerTable.values().stream().mapToLong(Long::longValue).sum();
    }
}
