package dev.clarisync.cli;

import dev.clarisync.ops.Plural;
import dev.clarisync.sync.SyncOutcome;
import java.util.stream.Collectors;

/** The one-line end-of-run summary printed by {@code sync} and {@code demo}; a failure's reason is not repeated in it. */
public final class Summary {
    private Summary() {
    }

    public static String of(SyncOutcome o) {
        String rows = o.rowsPerTable().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        // a failure's reason is printed once, on the error line that follows, not here as well
        String head = o.ok() ? "sync ok" : "sync failed (exit " + ExitCodes.of(o.kind()) + ")";
        return head + " — " + String.format("%.1f s", o.duration().toMillis() / 1000.0) + ", "
                + Plural.of(o.requests(), "request") + ", " + Plural.of(o.retries(), "retry") + ", "
                + Plural.of(o.callsSeen(), "call") + " seen, " + o.callsChanged() + " new or changed; rows written: "
                + (rows.isEmpty() ? "none (nothing changed)" : rows)
                + (o.setAside() > 0 ? "; " + Plural.of(o.setAside(), "record") + " set aside (see _rejected_records)" : "")
                + " [run " + o.runId() + "]";
    }
}
