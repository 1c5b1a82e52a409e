package dev.clarisync.camel;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clarisync.api.ApiCall;
import dev.clarisync.api.ApiResponses;
import dev.clarisync.api.ClariHttpClient;
import dev.clarisync.api.RetryPolicy;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.sync.CallsStream;
import dev.clarisync.sync.DetailsBacklog;
import dev.clarisync.sync.DetailsStream;
import dev.clarisync.sync.RequestBudget;
import dev.clarisync.sync.RunStats;
import dev.clarisync.sync.SyncOutcome;
import dev.clarisync.sync.SyncRun;
import dev.clarisync.sync.UsersStream;
import dev.clarisync.sync.WarehouseIdempotentRepository;
import dev.clarisync.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boots Camel Main with the connector's beans and the YAML routes read from {@code routes.dir}
 * (default {@code ./routes}; the copies packaged in the jar when that folder is absent). Routes are
 * never compiled in: editing a {@code *.camel.yaml} file and restarting is enough.
 *
 * <p>Two ways to run: {@link #start} then {@link #syncOnce()} for the one-shot commands, or
 * {@link #runService()} for the long-running {@code run} mode (Quartz schedule, stops on SIGTERM).
 */
public final class ConnectorApplication implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorApplication.class);

    private final ConnectorSettings settings;
    private final Main main;
    private final Warehouse warehouse;
    private final SyncRun syncRun;
    private final ExecutorService detailsPool;
    private boolean started;

    private ConnectorApplication(ConnectorSettings settings, Warehouse warehouse, boolean service, String command) {
        this.settings = settings;
        this.warehouse = warehouse;
        ObjectMapper mapper = new ObjectMapper();
        RunStats stats = new RunStats();
        RequestBudget budget = new RequestBudget(settings, warehouse, Clock.systemUTC());
        this.syncRun = new SyncRun(settings, warehouse, stats, budget, Clock.systemUTC());
        syncRun.command(command);
        this.main = new Main();
        // Camel sees our resolved settings (never the secrets) and nothing it loads on its own
        main.setDefaultPropertyPlaceholderLocation("false");
        Properties props = new Properties();
        props.putAll(settings.camelProperties());
        props.putAll(camelRuntimeProperties(settings, service));
        main.setOverrideProperties(props);
        main.configure().withRoutesIncludePattern(routesPattern(settings.routesDir()));

        WarehouseIdempotentRepository callsIdempotency = new WarehouseIdempotentRepository(warehouse, CallsStream.STREAM);
        WarehouseIdempotentRepository detailsIdempotency = new WarehouseIdempotentRepository(warehouse, DetailsStream.STREAM);
        DetailsBacklog backlog = new DetailsBacklog(warehouse);
        this.detailsPool = DetailsStream.newPool(settings.detailsParallelism());
        DetailsStream details = new DetailsStream(settings, warehouse, syncRun, detailsIdempotency, backlog, budget);

        main.bind("syncRun", syncRun);
        main.bind("apiCall", new ApiCall(settings.apiBaseUrl().toString()));
        main.bind("apiResponses", new ApiResponses(mapper));
        main.bind("clariHttpClient", new ClariHttpClient(settings.apiKey(), settings.apiPassword(), settings.apiTimeout(), path -> {
            stats.request(path);
            budget.onRequest();
        }));
        main.bind("retryPolicy", new RetryPolicy(settings.maxRetries(), settings.retryDelay(), settings.maxRetryDelay(),
                settings.throttleDelay(), d -> stats.retry()));
        main.bind("usersStream", new UsersStream(warehouse, syncRun, budget));
        main.bind("callsStream", new CallsStream(settings, warehouse, syncRun, callsIdempotency, backlog::enqueue, budget));
        main.bind("callsIdempotency", callsIdempotency);
        main.bind("detailsStream", details);
        main.bind("detailsIdempotency", detailsIdempotency);
        main.bind("detailsPool", detailsPool);
    }

    /** Opens the warehouse and starts Camel for a one-shot command (sync, check, demo). */
    public static ConnectorApplication start(ConnectorSettings settings, String command) throws Exception {
        Warehouse warehouse = Warehouse.open(settings.warehouseUrl(), settings.warehouseUser(),
                settings.warehousePassword().reveal(), settings.warehouseSchema());
        ConnectorApplication app = new ConnectorApplication(settings, warehouse, false, command);
        try {
            app.main.start();
            app.started = true;
            return app;
        } catch (Exception e) {
            app.close();
            throw e;
        }
    }

    /** The long-running {@code run} mode: blocks until the JVM is asked to stop (SIGTERM/SIGINT). */
    public static void runService(ConnectorSettings settings) throws Exception {
        Warehouse warehouse = Warehouse.open(settings.warehouseUrl(), settings.warehouseUser(),
                settings.warehousePassword().reveal(), settings.warehouseSchema());
        try (ConnectorApplication app = new ConnectorApplication(settings, warehouse, true, "run")) {
            LOG.info("service started: schedule '{}', run-on-start {}", settings.schedule(), settings.runOnStart());
            app.main.run();
        }
    }

    /** Runs one sync through the {@code clari-sync} route and returns how it ended. */
    public SyncOutcome syncOnce() {
        ProducerTemplate template = context().createProducerTemplate();
        Exchange result = template.send("direct:clari-sync", e -> { });
        if (result.getException() != null) {
            throw new IllegalStateException("the clari-sync route failed outside its own error handling", result.getException());
        }
        SyncOutcome outcome = result.getMessage().getBody(SyncOutcome.class);
        if (outcome == null) {
            throw new IllegalStateException("the clari-sync route ended without an outcome (is another sync running?)");
        }
        return outcome;
    }

    /** Sends one request through the {@code clari-check} route; throws what the API answered when it fails. */
    public void checkApi() {
        ProducerTemplate template = context().createProducerTemplate();
        Exchange result = template.send("direct:clari-check", e -> { });
        if (result.getException() != null) {
            throw new org.apache.camel.RuntimeCamelException(result.getException());
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    public SyncRun syncRun() {
        return syncRun;
    }

    /** Camel's own settings, derived from ours. */
    static Map<String, String> camelRuntimeProperties(ConnectorSettings settings, boolean service) {
        return Map.of(
                "camel.main.name", "clari-copilot-connector",
                // camel-http would otherwise retry 429/503 once on its own, hidden from our policy
                "camel.component.http.automatic-retries-disabled", "true",
                "camel.main.shutdown-timeout", "45",
                "clari.internal.scheduled", Boolean.toString(service),
                "clari.internal.sync-on-start", Boolean.toString(service && settings.runOnStart()));
    }

    /** {@code file:<routes.dir>/*.camel.yaml}, or the packaged copies when the folder does not exist. */
    static String routesPattern(String routesDir) {
        Path dir = Path.of(routesDir).toAbsolutePath().normalize();
        if (Files.isDirectory(dir)) {
            LOG.debug("routes from {}", dir);
            return "file:" + dir + "/*.camel.yaml";
        }
        LOG.info("routes folder {} not found: using the routes packaged in the jar", dir);
        return "classpath:routes/*.camel.yaml";
    }

    @Override
    public void close() {
        try {
            if (started) {
                main.stop();
            }
        } catch (Exception e) {
            LOG.warn("Camel did not stop cleanly: {}", e.getMessage());
        } finally {
            detailsPool.shutdownNow();
            warehouse.close();
        }
    }
}
