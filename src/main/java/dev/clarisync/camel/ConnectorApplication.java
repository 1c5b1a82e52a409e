package dev.clarisync.camel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.boot.OpenedWorkspaces;
import dev.clarisync.config.CamelMainSettings;
import dev.clarisync.config.ConnectorPlan;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.RouteFiles;
import dev.clarisync.routes.ExchangeProperties;
import dev.clarisync.sync.Account;
import dev.clarisync.sync.SyncOutcome;
import dev.clarisync.sync.SyncRun;
import dev.clarisync.warehouse.Warehouse;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Launcher's Camel: opens the warehouses of a {@link ConnectorPlan}, binds the beans through
 * {@link ConnectorConfiguration} and boots Camel Main with the YAML routes ({@link RouteFiles}). The warehouses are
 * closed once: when Camel stops, or by {@link #close} if it never started.
 *
 * <p>Two ways to run: {@link #start} then {@link #syncOnce()} / {@link #syncAll()} for the one-shot commands, or
 * {@link #runService} for the long-running {@code run} mode (Quartz schedule, stops on SIGTERM).
 */
public final class ConnectorApplication implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorApplication.class);

    private final Main main;
    private final OpenedWorkspaces warehouses;
    private final ConnectorConfiguration beans;
    private boolean started;
    /** Set by {@link #close}: a stop from here is the command's normal end, not SIGTERM. */
    private volatile boolean closing;

    private ConnectorApplication(OpenedWorkspaces warehouses, boolean service, String command, Clock clock) {
        ConnectorSettings settings = warehouses.first().settings();
        this.warehouses = warehouses;
        this.main = new Main();
        // Camel sees our resolved settings (never the secrets) and nothing it loads on its own
        main.setDefaultPropertyPlaceholderLocation("false");
        Properties props = new Properties();
        props.putAll(CamelMainSettings.forLauncher(settings, service));
        main.setOverrideProperties(props);
        main.configure().withRoutesIncludePattern(RouteFiles.pattern(settings.routesDir()));
        this.beans = new ConnectorConfiguration(warehouses, command, clock);
        main.configure().addConfiguration(beans);
        if (!service) {
            // A one-shot command started with Main#start, not Main#run: Camel's SIGTERM hook waits for a context nobody
            // stops, while the sync sits in a back-off. Stop it here: redeliveries waiting their delay give up (Camel
            // prepares them for shutdown), the run ends with its committed pages, and the JVM exits within seconds.
            main.getShutdownStrategy().addShutdownListener(() -> {
                if (started && !closing && context().isStarted()) {
                    LOG.warn("asked to stop: the {} in progress ends now; what it committed stays, and the next run resumes", command);
                    try {
                        context().stop();
                    } catch (RuntimeException e) {
                        LOG.debug("stopping Camel", e);
                    }
                }
            });
        }
    }

    /** Opens the warehouse and starts Camel for a one-shot command (sync, check, demo) of one workspace's settings. */
    public static ConnectorApplication start(ConnectorSettings settings, String command) throws Exception {
        return start(ConnectorPlan.of(settings), command, Clock.systemUTC());
    }

    /**
     * Starts a one-shot command (sync, check, demo, kamelet) of every workspace in {@code plan}, one account each. A
     * workspace whose warehouse does not open is left out ({@link #notOpened()}); if none opens, the first failure is thrown.
     */
    public static ConnectorApplication start(ConnectorPlan plan, String command) throws Exception {
        return start(plan, command, Clock.systemUTC());
    }

    /** {@link #start(ConnectorPlan, String)} on another clock than the system's (tests simulating weeks). */
    public static ConnectorApplication start(ConnectorPlan plan, String command, Clock clock) throws Exception {
        ConnectorApplication app = new ConnectorApplication(OpenedWorkspaces.open(plan, false), false, command, clock);
        try {
            app.main.start();
            app.started = true;
            return app;
        } catch (Exception e) {
            app.close();
            throw e;
        }
    }

    /** The long-running {@code run} mode: one schedule syncs every workspace; blocks until SIGTERM/SIGINT. */
    public static void runService(ConnectorPlan plan) throws Exception {
        OpenedWorkspaces warehouses = OpenedWorkspaces.open(plan, true);
        if (warehouses == null) {
            return; // interrupted while waiting for readers: nothing was opened
        }
        try (ConnectorApplication app = new ConnectorApplication(warehouses, true, "run", Clock.systemUTC())) {
            ConnectorSettings settings = warehouses.first().settings();
            if (plan.implicit()) {
                LOG.info("service started: schedule '{}', run-on-start {}", settings.schedule(), settings.runOnStart());
            } else {
                LOG.info("service started: {} workspaces, schedule '{}'", warehouses.opened().size(), settings.schedule());
            }
            app.main.run();
        }
    }

    /** Workspaces whose warehouse did not open at start, with why (they are not synced). */
    public Map<String, RuntimeException> notOpened() {
        return Map.copyOf(warehouses.failed());
    }

    /**
     * One sync of every workspace through {@code clari-sync-all} (up to {@code clari.workspaces.parallelism} at a time);
     * each outcome by workspace, in completion order. Never throws for a workspace's failure: it is that workspace's outcome.
     */
    @SuppressWarnings("unchecked")
    public Map<String, SyncOutcome> syncAll() {
        Map<String, SyncOutcome> outcomes = send("clari-sync-all", e -> { }).getBody(Map.class);
        return outcomes == null ? Map.of() : outcomes;
    }

    /** Runs one sync of the default account through the {@code clari-sync} route and returns how it ended. */
    public SyncOutcome syncOnce() {
        return syncOnce(Account.DEFAULT);
    }

    /** Runs one sync of {@code account} through the {@code clari-sync} route and returns how it ended. */
    public SyncOutcome syncOnce(String account) {
        SyncOutcome outcome = send("clari-sync", e -> e.getMessage().setHeader(ExchangeProperties.ACCOUNT_HEADER, account)).getBody(SyncOutcome.class);
        if (outcome == null) {
            throw new IllegalStateException("the clari-sync route ended without an outcome (is another sync running?)");
        }
        return outcome;
    }

    /** What {@code direct:<route>} answered; a failure outside the route's own error handling is thrown. */
    private Message send(String route, Processor request) {
        Exchange result = context().createProducerTemplate().send("direct:" + route, request);
        if (result.getException() != null) {
            throw new IllegalStateException("the " + route + " route failed outside its own error handling", result.getException());
        }
        return result.getMessage();
    }

    /** Sends {@code GET /calls?limit=1} through the {@code clari-check} route; throws what the API answered when it fails. */
    public JsonNode checkApi() {
        return checkApi("/calls", "limit=1");
    }

    /** Sends one {@code GET path?query} through the {@code clari-check} route: the parsed answer, or what the API answered. */
    public JsonNode checkApi(String path, String query) {
        Exchange result = context().createProducerTemplate().send("direct:clari-check", e -> {
            e.setProperty(ExchangeProperties.PATH, path);
            e.setProperty(ExchangeProperties.QUERY, query);
        });
        if (result.getException() != null) {
            throw new RuntimeCamelException(result.getException());
        }
        return result.getMessage().getBody(JsonNode.class);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** The first workspace's warehouse (the single one's). */
    public Warehouse warehouse() {
        return warehouses.opened().get(warehouses.first());
    }

    public SyncRun syncRun() {
        return beans.syncRun();
    }

    /**
     * Adds another Clari account to this running connector: its own settings (base URL, credentials, limits,
     * streams) and its own warehouse, opened here and closed with the application. Its syncs share the routes, the
     * beans and the throttle, and nothing else ({@link #syncOnce(String)}).
     */
    public Account addAccount(String id, ConnectorSettings settings) {
        return beans.addAccount(context(), id, settings, warehouses.openAnother(settings));
    }

    @Override
    public void close() {
        closing = true; // our own stop, not a signal's: no "asked to stop" warning
        try {
            if (started) {
                main.stop();
            }
        } catch (Exception e) {
            LOG.warn("Camel did not stop cleanly: {}", e.getMessage());
        } finally {
            warehouses.close(); // already closed if Camel stopped: OpenedWorkspaces closes once
        }
    }
}
