package dev.clarisync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.api.ApiFailure;
import dev.clarisync.camel.ConnectorApplication;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.sync.StreamCatalog;
import dev.clarisync.sync.StreamSpec;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * {@code check}'s line per configured stream: whether this account can read it, asked for one record
 * ({@code stream scorecards: readable} / {@code stream scorecards: not readable (HTTP 403: Forbidden) ...}). A stream
 * the spec declares as a feature ({@link StreamSpec.Responses#BY_FEATURE}) that answers 403 or 404 is reported and
 * does not fail the check, as a sync skips it; any other failure does, with the exit code a sync would end with.
 */
public final class StreamsCheck {
    private StreamsCheck() {
    }

    /**
     * Asks each configured stream's endpoint once (a per-parent stream for the call {@code callsPage} lists first)
     * after {@code GET /calls?limit=1} answered {@code callsPage}, so the credentials are known to work; returns the
     * exit code. Advice names {@code workspace}'s own keys (null: the single workspace).
     */
    public static int print(ConnectorApplication app, String workspace, ConnectorSettings settings, JsonNode callsPage, PrintStream out,
                            PrintStream err) {
        int code = ExitCodes.OK;
        for (StreamSpec spec : StreamCatalog.configured(settings)) {
            String query = spec.probeQuery();
            if (spec.perParent()) {
                String id = callsPage == null ? "" : callsPage.path("calls").path(0).path("id").asText("");
                if (id.isEmpty()) {
                    out.println("stream " + spec.name() + ": not asked (" + spec.path() + " is read per call, and Clari lists no call yet)");
                    continue;
                }
                query = spec.parent().idParam() + "=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
            }
            try {
                app.checkApi(spec.path(), query);
                out.println("stream " + spec.name() + ": readable (" + spec.path() + ")");
            } catch (RuntimeException e) {
                HttpOperationFailedException http = http(e);
                if (http != null && spec.unavailableOn(http.getStatusCode(), true)) {
                    out.println("stream " + spec.name() + ": not readable (" + ApiFailure.answer(http) + " on " + spec.path()
                            + "): this account lacks the feature; a sync skips it");
                    continue;
                }
                RunFailure f = RunFailure.of(e, workspace);
                out.println("stream " + spec.name() + ": not readable (" + (http != null ? ApiFailure.answer(http) + " on " + spec.path()
                        : f.message()) + ")");
                err.println(f.line());
                code = WorkspacesSync.mostSevere(code, f.exitCode());
            }
        }
        return code;
    }

    private static HttpOperationFailedException http(Throwable t) {
        for (Throwable cur = t; cur != null; cur = cur.getCause() == cur ? null : cur.getCause()) {
            if (cur instanceof HttpOperationFailedException h) {
                return h;
            }
        }
        return null;
    }
}
