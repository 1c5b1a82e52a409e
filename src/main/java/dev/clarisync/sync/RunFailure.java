package dev.clarisync.sync;

import dev.clarisync.api.ApiFailure;
import dev.clarisync.api.MalformedResponseException;
import dev.clarisync.api.OffsetCapException;
import dev.clarisync.api.UnstableWindowException;
import dev.clarisync.config.SettingsException;
import dev.clarisync.warehouse.WarehouseBusyException;
import dev.clarisync.warehouse.WarehouseUnavailableException;
import java.io.IOException;
import org.apache.camel.http.base.HttpOperationFailedException;

/** Turns any failure into an exit code and one line that says what to do. Never includes secrets: it only reads statuses, paths and API error texts. */
public record RunFailure(int exitCode, String message) {

    public static RunFailure of(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof SettingsException) {
            return new RunFailure(ExitCodes.BAD_CONFIGURATION, "configuration: " + t.getMessage());
        }
        if (t instanceof QuotaBudgetException) {
            return new RunFailure(ExitCodes.QUOTA_EXHAUSTED, t.getMessage());
        }
        if (t instanceof WarehouseBusyException) {
            return new RunFailure(ExitCodes.WAREHOUSE_BUSY, t.getMessage());
        }
        if (t instanceof WarehouseUnavailableException) {
            return new RunFailure(ExitCodes.FAILED, "warehouse unavailable: " + t.getMessage());
        }
        if (t instanceof HttpOperationFailedException http) {
            return ofHttp(http);
        }
        if (t instanceof MalformedResponseException || t instanceof OffsetCapException || t instanceof UnstableWindowException) {
            return new RunFailure(ExitCodes.FAILED, t.getMessage());
        }
        if (t instanceof IOException) {
            return new RunFailure(ExitCodes.FAILED, "cannot reach the Clari API (" + t.getClass().getSimpleName() + ": "
                    + t.getMessage() + "); check clari.api.base-url and the network, then run again");
        }
        return new RunFailure(ExitCodes.FAILED, t.getClass().getSimpleName() + ": " + t.getMessage());
    }

    /** The HTTP status rules are {@link ApiFailure}'s; here each kind gets its exit code. */
    private static RunFailure ofHttp(HttpOperationFailedException http) {
        ApiFailure f = ApiFailure.of(http);
        int code = switch (f.kind()) {
            case CREDENTIALS_REJECTED -> ExitCodes.CREDENTIALS_REJECTED;
            case QUOTA_EXHAUSTED -> ExitCodes.QUOTA_EXHAUSTED;
            case WRONG_BASE_URL -> ExitCodes.BAD_CONFIGURATION;
            case FAILED -> ExitCodes.FAILED;
        };
        return new RunFailure(code, f.message());
    }

    /** The first failure in the cause chain that we know how to explain; else the innermost cause. Camel wraps freely. */
    static Throwable unwrap(Throwable t) {
        Throwable innermost = t;
        for (Throwable cur = t; cur != null; cur = cur.getCause() == cur ? null : cur.getCause()) {
            if (cur instanceof SettingsException || cur instanceof QuotaBudgetException || cur instanceof WarehouseBusyException
                    || cur instanceof WarehouseUnavailableException || cur instanceof HttpOperationFailedException
                    || cur instanceof MalformedResponseException || cur instanceof OffsetCapException
                    || cur instanceof UnstableWindowException || cur instanceof IOException) {
                return cur;
            }
            innermost = cur;
        }
        return innermost;
    }
}
