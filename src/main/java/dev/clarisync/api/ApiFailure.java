package dev.clarisync.api;

import dev.clarisync.config.EnvNames;
import dev.clarisync.config.Workspaces;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * What an HTTP failure from Clari means, after all retries: its kind and one line that says what to do.
 * The HTTP status rules live here; the sync turns a kind into an exit code. Never includes secrets: it
 * only reads statuses, paths and the API's error texts.
 */
public record ApiFailure(Kind kind, String message) {
    private static final Pattern ERROR_MESSAGE = Pattern.compile("\"(?:errorMessage|message)\"\\s*:\\s*\"([^\"]{0,300})\"");

    public enum Kind {
        /** 401/403: nothing was written. */
        CREDENTIALS_REJECTED,
        /** 429 "Limit Exceeded": the weekly quota. */
        QUOTA_EXHAUSTED,
        /** 404 from a list endpoint: a wrong base URL. */
        WRONG_BASE_URL,
        /** Anything else: 400, 5xx or 429 after all retries, other statuses. */
        FAILED
    }

    public static ApiFailure of(HttpOperationFailedException http) {
        return of(http, null);
    }

    /**
     * As {@link #of(HttpOperationFailedException)}, the hints naming {@code workspace}'s own keys
     * ({@code clari.workspace.acme.api-key}) instead of the shared ones; null for the single workspace.
     */
    public static ApiFailure of(HttpOperationFailedException http, String workspace) {
        int status = http.getStatusCode();
        String request = "GET " + pathOf(http.getUri());
        if (status == 401 || status == 403) {
            String key = Workspaces.settingKey(workspace, "api-key");
            String password = Workspaces.settingKey(workspace, "api-password");
            return new ApiFailure(Kind.CREDENTIALS_REJECTED, "Clari rejected the credentials (HTTP " + status + " on " + request
                    + "): check " + key + " and " + password + " (env " + EnvNames.of(key) + ", " + EnvNames.of(password)
                    + "); nothing was written");
        }
        if (RetryPolicy.isQuotaExhausted(http)) {
            return new ApiFailure(Kind.QUOTA_EXHAUSTED, "Clari's weekly request quota is exhausted (HTTP 429 Limit Exceeded on "
                    + request + "); progress is saved and the next run resumes (the quota resets Sunday 00:00 UTC)");
        }
        if (status == 404) {
            return new ApiFailure(Kind.WRONG_BASE_URL, "Clari answered 404 Not Found for " + request
                    + ": check " + Workspaces.settingKey(workspace, "base-url") + " (expected https://rest-api.copilot.clari.com)");
        }
        if (status == 400) {
            return new ApiFailure(Kind.FAILED, "Clari refused " + request + " (HTTP 400): " + apiMessage(http));
        }
        if (status == 429 || status >= 500) {
            return new ApiFailure(Kind.FAILED, "Clari kept failing (HTTP " + status + " on " + request
                    + ") after all retries; progress up to the last complete page is saved, run again later");
        }
        return new ApiFailure(Kind.FAILED, "Clari answered HTTP " + status + " for " + request + ": " + apiMessage(http));
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
}
