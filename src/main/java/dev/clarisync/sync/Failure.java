package dev.clarisync.sync;

import dev.clarisync.api.AnswerIntegrity.InconsistentAnswerException;
import dev.clarisync.api.ApiFailure;
import dev.clarisync.api.MalformedResponseException;
import dev.clarisync.api.UnreadableAnswerException;
import dev.clarisync.api.OffsetCapException;
import dev.clarisync.api.ProxyAuthenticationException;
import dev.clarisync.api.ProxyUnreachableException;
import dev.clarisync.api.UnstableWindowException;
import dev.clarisync.config.SettingsException;
import dev.clarisync.warehouse.WarehouseBusyException;
import dev.clarisync.warehouse.WarehouseDiskFullException;
import dev.clarisync.warehouse.WarehouseUnavailableException;
import java.io.IOException;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Turns any failure into its {@link OutcomeKind} and one line that says what to do (recorded in {@code _sync_runs},
 * logged by the service, printed by the CLI, which maps the kind to an exit code). Never includes secrets: it only
 * reads statuses, paths and API error texts.
 */
public record Failure(OutcomeKind kind, String message) {

    /** The first line only: some drivers append advice on further lines (DuckDB's "Possible solutions: ..."). */
    public Failure {
        if (message != null) {
            message = message.strip().lines().findFirst().orElse("").strip();
        }
    }

    public static Failure of(Throwable failure) {
        return of(failure, null);
    }

    /** {@link #of(Throwable)} for a named workspace: advice names its own keys ({@link ApiFailure#of(HttpOperationFailedException, String)}). */
    public static Failure of(Throwable failure, String workspace) {
        Throwable t = unwrap(failure);
        if (t instanceof SettingsException) {
            return new Failure(OutcomeKind.BAD_CONFIGURATION, "configuration: " + t.getMessage());
        }
        if (t instanceof QuotaBudgetException) {
            return new Failure(OutcomeKind.QUOTA_EXHAUSTED, t.getMessage());
        }
        if (t instanceof WarehouseBusyException) {
            return new Failure(OutcomeKind.WAREHOUSE_BUSY, t.getMessage());
        }
        if (t instanceof WarehouseDiskFullException) {
            return new Failure(OutcomeKind.FAILED, t.getMessage());
        }
        if (t instanceof WarehouseUnavailableException) {
            return new Failure(OutcomeKind.FAILED, "warehouse unavailable: " + t.getMessage());
        }
        if (t instanceof HttpOperationFailedException http) {
            return ofHttp(http, workspace);
        }
        if (t instanceof MalformedResponseException || t instanceof UnreadableAnswerException || t instanceof SetAsideLimitException
                || t instanceof OffsetCapException || t instanceof UnstableWindowException
                || t instanceof InconsistentAnswerException) {
            return new Failure(OutcomeKind.FAILED, t.getMessage());
        }
        if (t instanceof ProxyAuthenticationException) {
            return new Failure(OutcomeKind.BAD_CONFIGURATION, t.getMessage());
        }
        if (t instanceof ProxyUnreachableException proxy) {
            return new Failure(OutcomeKind.FAILED, proxy.getMessage() + ": " + proxy.advice() + " and that the proxy runs, then run again");
        }
        if (t instanceof IOException) {
            return new Failure(OutcomeKind.FAILED, "cannot reach the Clari API (" + t.getClass().getSimpleName() + ": "
                    + t.getMessage() + "); check clari.api.base-url and the network, then run again");
        }
        return new Failure(OutcomeKind.FAILED, t.getClass().getSimpleName() + ": " + t.getMessage());
    }

    /** The HTTP status rules are {@link ApiFailure}'s; here each of its kinds gets an outcome kind. */
    private static Failure ofHttp(HttpOperationFailedException http, String workspace) {
        ApiFailure f = ApiFailure.of(http, workspace);
        OutcomeKind kind = switch (f.kind()) {
            case CREDENTIALS_REJECTED -> OutcomeKind.CREDENTIALS_REJECTED;
            case QUOTA_EXHAUSTED -> OutcomeKind.QUOTA_EXHAUSTED;
            case WRONG_BASE_URL -> OutcomeKind.BAD_CONFIGURATION;
            case FAILED -> OutcomeKind.FAILED;
        };
        return new Failure(kind, f.message());
    }

    /** The first failure in the cause chain that we know how to explain; else the innermost cause. Camel wraps freely. */
    static Throwable unwrap(Throwable t) {
        Throwable innermost = t;
        for (Throwable cur = t; cur != null; cur = cur.getCause() == cur ? null : cur.getCause()) {
            if (cur instanceof SettingsException || cur instanceof QuotaBudgetException || cur instanceof WarehouseBusyException
                    || cur instanceof WarehouseUnavailableException || cur instanceof WarehouseDiskFullException
                    || cur instanceof HttpOperationFailedException
                    || cur instanceof MalformedResponseException || cur instanceof UnreadableAnswerException
                    || cur instanceof SetAsideLimitException || cur instanceof OffsetCapException
                    || cur instanceof UnstableWindowException || cur instanceof InconsistentAnswerException
                    || cur instanceof IOException || cur instanceof ProxyAuthenticationException) {
                return cur;
            }
            innermost = cur;
        }
        return innermost;
    }
}
