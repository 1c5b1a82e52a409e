package dev.clarisync.cli;

import dev.clarisync.sync.Failure;
import dev.clarisync.sync.SyncOutcome;

/**
 * What a failed command prints and returns: the {@code error:} line and the exit code of the failure's kind. The
 * kind and the one-line explanation come from {@link Failure} (also recorded in {@code _sync_runs} and logged by the
 * service); the exit code and the wording on the terminal are the CLI's.
 */
public record RunFailure(int exitCode, String message) {

    public static RunFailure of(Throwable failure) {
        return of(failure, null);
    }

    /** The failure of {@code workspace}'s command: its hints name that workspace's own keys. */
    public static RunFailure of(Throwable failure, String workspace) {
        Failure f = Failure.of(failure, workspace);
        return new RunFailure(ExitCodes.of(f.kind()), f.message());
    }

    public static RunFailure of(SyncOutcome outcome) {
        return new RunFailure(ExitCodes.of(outcome.kind()), outcome.message());
    }

    /** The line printed on standard error. */
    public String line() {
        return "error: " + message;
    }
}
