package dev.clarisync.sync;

import dev.clarisync.api.MalformedResponseException;
import dev.clarisync.api.OffsetCapException;
import dev.clarisync.api.RetryPolicy;
import dev.clarisync.api.UnstableWindowException;
import dev.clarisync.config.SettingsException;
import dev.clarisync.warehouse.WarehouseBusyException;
import dev.clarisync.warehouse.WarehouseUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.http.base.HttpOperationFailedException;

/** Turns any failure into an exit code and one line that says what to do. Never includes secrets: it only reads statuses, paths and API error texts. */
public record RunFailure(int exitCode, String message) {
    private static final Pattern ERROR_MESSAGE = Pattern.compile("\"(?:errorMessage|message)\"\\s*:\\s*\"([^\"]{0,300})\"");

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

    private static RunFailure ofHttp(HttpOperationFailedException http) {
        int status = http.getStatusCode();
        String request = "GET " + pathOf(http.getUri());
        if (status == 401 || status == 403) {
            return new RunFailure(ExitCodes.CREDENTIALS_REJECTED, "Clari rejected the credentials (HTTP " + status + " on " + request
                    + "): check clari.api.key and clari.api.password (env CLARI_API_KEY, CLARI_API_PASSWORD); nothing was written");
        }
        if (RetryPolicy.isQuotaExhausted(http)) {
            return new RunFailure(ExitCodes.QUOTA_EXHAUSTED, "Clari's weekly request quota is exhausted (HTTP 429 Limit Exceeded on "
                    + request + "); progress is saved and the next run resumes (the quota resets Sunday 00:00 UTC)");
        }
        if (status == 404) {
            return new RunFailure(ExitCodes.BAD_CONFIGURATION, "Clari answered 404 Not Found for " + request
                    + ": check clari.api.base-url (expected https://rest-api.copilot.clari.com)");
        }
        if (status == 400) {
            return new RunFailure(ExitCodes.FAILED, "Clari refused " + request + " (HTTP 400): " + apiMessage(http));
        }
        if (status == 429 || status >= 500) {
            return new RunFailure(ExitCodes.FAILED, "Clari kept failing (HTTP " + status + " on " + request
                    + ") after all retries; progress up to the last complete page is saved, run again later");
        }
        return new RunFailure(ExitCodes.FAILED, "Clari answered HTTP " + status + " for " + request + ": " + apiMessage(http));
    }

    static String apiMessage(HttpOperationFailedException http) {
        String body = http.getResponseBody();
        if (body == null) {
            return http.getStatusText();
        }
        Matcher m = ERROR_MESSAGE.matcher(body);
        return m.find() ? m.group(1) : body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }

    private static String pathOf(String uri) {
        try {
            URI u = URI.create(uri);
            return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        } catch (IllegalArgumentException e) {
            return uri;
        }
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
