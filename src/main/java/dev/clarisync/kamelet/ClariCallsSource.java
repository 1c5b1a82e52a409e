package dev.clarisync.kamelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.camel.ConnectorApplication;
import dev.clarisync.config.ConnectorPlan;
import dev.clarisync.config.SettingsSource;
import dev.clarisync.sync.Account;
import dev.clarisync.sync.CommittedRecords;
import dev.clarisync.sync.SyncOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The bean behind the Kamelet {@code kamelets/clari-copilot-source.kamelet.yaml}: each {@link #poll()} is one sync of
 * the {@code calls} stream (and {@code call_details} with {@code includeDetails}) by the connector itself — its routes,
 * rate limiter, paging, window splitting, retries and details fetching — into a DuckDB state file, and returns every
 * call that sync found new or changed, as one JSON document each.
 *
 * <p>The state file ({@code stateFile}) is an ordinary connector warehouse: the calls cursor, the versions already
 * emitted ({@code _processed}), the details still owed. It is open only during a poll, so another process may read it
 * in between ({@code java -jar clari-copilot-connector.jar sql --warehouse.url=jdbc:duckdb:FILE ...}). Delete it to
 * start again from {@code startDate}.
 *
 * <p>A message is the call as {@code GET /calls} lists it; with {@code includeDetails}, its {@code GET /call-details}
 * answer is under {@code "details"} when this poll fetched it and it differs from the one sent before (a call whose processing is not done yet has none; it is
 * sent again with its details once Clari has processed it, since its status changes). Details fetched for a call that
 * an earlier, interrupted poll already sent come alone, as {@code {"id": ..., "details": {...}}}.
 *
 * <p>Delivery is at most once per call version: a call counts as sent once its page is committed to the state file,
 * which happens before the Kamelet hands the messages on. A failed poll returns what it committed before failing and
 * logs why; the next poll resumes from the last completed window.
 */
public final class ClariCallsSource {
    private static final Logger LOG = LoggerFactory.getLogger(ClariCallsSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private String apiKey = "";
    private String apiPassword = "";
    private String baseUrl = "https://rest-api.copilot.clari.com";
    private String startDate = "";
    private boolean includeDetails = true;
    private String stateFile = "clari-copilot-source.duckdb";
    private int rateLimit = 10;

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public void setApiPassword(String apiPassword) {
        this.apiPassword = apiPassword;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public void setStartDate(String startDate) {
        this.startDate = startDate;
    }

    public void setIncludeDetails(boolean includeDetails) {
        this.includeDetails = includeDetails;
    }

    public void setStateFile(String stateFile) {
        this.stateFile = stateFile;
    }

    public void setRateLimit(int rateLimit) {
        this.rateLimit = rateLimit;
    }

    /** The plan of one poll: the packaged defaults and the Kamelet's properties, nothing from the host (one workspace). */
    ConnectorPlan plan() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("clari.api.key", apiKey);
        values.put("clari.api.password", apiPassword);
        values.put("clari.api.base-url", baseUrl);
        values.put("clari.api.rate-limit", Integer.toString(rateLimit));
        if (!startDate.isBlank()) {
            values.put("clari.sync.start-date", startDate);
        }
        values.put("clari.sync.streams", includeDetails ? "calls,call_details" : "calls");
        values.put("warehouse.url", "jdbc:duckdb:" + Path.of(stateFile).toAbsolutePath().normalize());
        values.put("routes.dir", ""); // the routes packaged in the jar, never the host's ./routes
        return ConnectorPlan.from(SettingsSource.packagedWith(values), true);
    }

    /**
     * One sync; the calls it found new or changed, as JSON, in the order they were committed. Never throws for a failed
     * sync (what it committed is returned, and the reason logged); throws only for settings it cannot start with.
     */
    public List<String> poll() throws Exception {
        Collected collected = new Collected();
        SyncOutcome outcome;
        // "kamelet" in _sync_runs.command; unlike "sync" it draws no live progress line on the host's terminal
        try (ConnectorApplication app = ConnectorApplication.start(plan(), "kamelet")) {
            app.syncRun().account(Account.DEFAULT).onCommitted(collected);
            outcome = app.syncOnce();
        } finally {
            MDC.remove("runId"); // the sync's run id stays off the host's timer thread
        }
        List<String> messages = collected.messages();
        if (outcome.ok()) {
            LOG.info("clari-copilot-source: {} new or changed calls to send (run {}, {} calls seen)", messages.size(),
                    outcome.runId(), outcome.callsSeen());
        } else {
            LOG.error("clari-copilot-source: sync failed ({}): {}; {} calls committed before the failure are sent",
                    outcome.kind(), outcome.message(), messages.size());
        }
        return messages;
    }

    /** The committed calls of one poll by id, each with its details once they come; thread-safe (details are written on a writer thread). */
    static final class Collected implements CommittedRecords {
        private final Map<String, ObjectNode> byId = new LinkedHashMap<>();

        @Override
        public synchronized void committed(String stream, List<JsonNode> records) {
            for (JsonNode record : records) {
                String id = record.get("id").asText();
                if ("calls".equals(stream)) {
                    ObjectNode call = ((ObjectNode) record).deepCopy();
                    ObjectNode before = byId.get(id);
                    if (before != null && before.has("details")) {
                        call.set("details", before.get("details"));
                    }
                    byId.put(id, call);
                } else if ("call_details".equals(stream)) {
                    byId.computeIfAbsent(id, k -> JSON.createObjectNode().put("id", k)).set("details", record);
                }
            }
        }

        synchronized List<String> messages() {
            List<String> out = new ArrayList<>(byId.size());
            byId.values().forEach(n -> out.add(n.toString()));
            return out;
        }
    }
}
