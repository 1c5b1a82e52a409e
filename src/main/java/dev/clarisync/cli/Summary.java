package dev.clarisync.cli;

import dev.clarisync.sync.SyncOutcome;
import java.util.stream.Collectors;

/** The one-paragraph end-of-run summary printed by {@code sync} and {@code demo}. */
public final class Summary {
    private Summary() {
    }

    public static String of(SyncOutcome o) {
        String rows = o.rowsPerTable().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        String head = o.ok() ? "sync ok" : "sync failed (exit " + o.exitCode() + "): " + o.message();
        return head + " — " + String.format("%.1f s", o.duration().toMillis() / 1000.0) + ", "
                + o.requests() + " requests, " + o.retries() + " retries, "
                + o.callsSeen() + " calls seen, " + o.callsChanged() + " new or changed; rows written: "
                + (rows.isEmpty() ? "none (nothing changed)" : rows) + " [run " + o.runId() + "]";
    }
}
