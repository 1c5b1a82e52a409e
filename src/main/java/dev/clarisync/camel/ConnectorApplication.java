package dev.clarisync.camel;

import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.KnownKeys;
import dev.clarisync.config.Workspaces;
import dev.clarisync.ops.HeapAdvice;
import dev.clarisync.routes.ExchangeProperties;
import dev.clarisync.sync.Account;
import dev.clarisync.sync.SyncOutcome;
import dev.clarisync.sync.SyncRun;
import dev.clarisync.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.camel.CamelConfiguration;
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

    private final Main main;
    private final Warehouse warehouse;
    private final ConnectorConfiguration beans;
    /** Warehouses of accounts added after start, closed with the application. */
    private final List<Warehouse> others = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Workspaces whose warehouse did not open at start. */
    private final Map<String, RuntimeException> notOpened = new LinkedHashMap<>();
    private boolean started;
    /** Set by {@link #close}: a stop from here is the command's normal end, not SIGTERM. */
    private volatile boolean closing;
    private static final java.util.concurrent.atomic.AtomicInteger INSTANCES = new java.util.concurrent.atomic.AtomicInteger();

    private ConnectorApplication(ConnectorSettings settings, Warehouse warehouse, boolean service, String command) {
        this(settings, warehouse, service, command, Account.DEFAULT, 1, java.time.Clock.systemUTC());
    }

    private ConnectorApplication(ConnectorSettings settings, Warehouse warehouse, boolean service, String command,
                                 String firstAccount, int parallelism, java.time.Clock clock) {
        this.warehouse = warehouse;
        this.main = new Main();
        // Camel sees our resolved settings (never the secrets) and nothing it loads on its own
        main.setDefaultPropertyPlaceholderLocation("false");
        Properties props = new Properties();
        props.putAll(settings.camelProperties());
        props.putAll(camelRuntimeProperties(settings, service));
        int instance = INSTANCES.getAndIncrement();
        if (!service && instance > 0) {
            // Quartz names its (JVM-wide) scheduler after the context: connectors side by side in one JVM (two shards in a
            // test, the demo after a sync) each need their own name; the service keeps the plain one its metrics carry
            props.put("camel.main.name", "clari-copilot-connector-" + instance);
        }
        main.setOverrideProperties(props);
        main.configure().withRoutesIncludePattern(routesPattern(settings.routesDir()));
        this.beans = new ConnectorConfiguration(settings, warehouse, command, firstAccount, clock);
        beans.workspacesParallelism(parallelism);
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

    /** Opens the warehouse and starts Camel for a one-shot command (sync, check, demo). */
    public static ConnectorApplication start(ConnectorSettings settings, String command) throws Exception {
        return start(settings, command, java.time.Clock.systemUTC());
    }

    /** {@link #start(ConnectorSettings, String)} on another clock than the system's (tests simulating weeks). */
    public static ConnectorApplication start(ConnectorSettings settings, String command, java.time.Clock clock) throws Exception {
        Warehouse warehouse = Warehouse.open(settings.warehouseUrl(), settings.warehouseUser(),
                settings.warehousePassword().reveal(), settings.warehouseSchema());
        return new ConnectorApplication(settings, warehouse, false, command, Account.DEFAULT, 1, clock).startCamel();
    }

    /** Starts Camel (a one-shot command); closes everything if it does not start. */
    private ConnectorApplication startCamel() throws Exception {
        try {
            main.start();
            started = true;
            return this;
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** The long-running {@code run} mode: blocks until the JVM is asked to stop (SIGTERM/SIGINT). */
    public static void runService(ConnectorSettings settings) throws Exception {
        java.util.function.Supplier<Warehouse> open = () -> Warehouse.open(settings.warehouseUrl(), settings.warehouseUser(),
                settings.warehousePassword().reveal(), settings.warehouseSchema());
        // a DuckDB file may be open in a reader (sql, report, a notebook) when the service starts: wait for it as a
        // sync would (clari.sync.lock-wait), then fail as before; a server database is never waited for
        Warehouse warehouse = Warehouse.releasesFile(settings.warehouseUrl())
                ? dev.clarisync.warehouse.BusyWait.retry(open, settings.lockWait(), () -> false,
                        busy -> LOG.warn("waiting for readers to close the warehouse file ({}); retrying for up to {}",
                                busy.getMessage(), settings.lockWait()))
                : open.get();
        if (warehouse == null) {
            return; // interrupted while waiting: nothing was opened
        }
        try (ConnectorApplication app = new ConnectorApplication(settings, warehouse, true, "run")) {
            LOG.info("service started: schedule '{}', run-on-start {}", settings.schedule(), settings.runOnStart());
            app.main.run();
        }
    }

    /**
     * Opens every workspace's warehouse (its own schema: one DuckDB file, or one PostgreSQL database, holds them all)
     * and starts Camel with one account per workspace, named after it. A workspace whose warehouse cannot be opened
     * (busy: another process syncs it; unreachable) is left out and reported in {@link #notOpened()}: it fails alone.
     * If none opens, the first one's failure is thrown.
     */
    public static ConnectorApplication start(List<Workspaces.Workspace> workspaces, int parallelism, String command)
            throws Exception {
        return startWorkspaces(workspaces, parallelism, command, false);
    }

    private static ConnectorApplication startWorkspaces(List<Workspaces.Workspace> workspaces, int parallelism, String command,
                                                        boolean service) throws Exception {
        OpenedWorkspaces all = OpenedWorkspaces.open(workspaces);
        Workspaces.Workspace first = all.first();
        Map<Workspaces.Workspace, Warehouse> others = all.others();
        int atOnce = Math.min(parallelism, all.opened().size());
        HeapAdvice.warnIfShort(atOnce, all.opened().keySet().stream().mapToInt(w -> w.settings().detailsBatchSize()).max().orElse(1),
                Runtime.getRuntime().maxMemory());
        ConnectorApplication app = new ConnectorApplication(first.settings(), all.opened().get(first), service, command,
                first.name(), atOnce, java.time.Clock.systemUTC());
        app.notOpened.putAll(all.failed());
        all.failed().forEach((name, e) -> app.beans.leftOut(name, e.getMessage()));
        app.others.addAll(others.values());
        app.main.configure().addConfiguration(new CamelConfiguration() {
            @Override
            public void configure(CamelContext context) {
                others.forEach((w, wh) -> app.beans.addAccount(context, app.beans.newAccount(w.name(), w.settings(), wh)));
            }
        });
        return service ? app : app.startCamel();
    }

    /** The {@code run} mode for many workspaces: one schedule syncs them all ({@code clari-sync-all}). */
    public static void runService(List<Workspaces.Workspace> workspaces, int parallelism) throws Exception {
        try (ConnectorApplication app = startWorkspaces(workspaces, parallelism, "run", true)) {
            app.notOpened.forEach((name, e) -> LOG.error("workspace {}: not synced, its warehouse did not open: {}", name, e.getMessage()));
            LOG.info("service started: {} workspaces, schedule '{}'", workspaces.size() - app.notOpened.size(),
                    workspaces.get(0).settings().schedule());
            app.main.run();
        }
    }

    /** Workspaces whose warehouse did not open at start, with why (they are not synced). */
    public Map<String, RuntimeException> notOpened() {
        return Map.copyOf(notOpened);
    }

    /**
     * One sync of every workspace through {@code clari-sync-all} (up to {@code clari.workspaces.parallelism} at a time);
     * each outcome by workspace, in completion order. Never throws for a workspace's failure: it is that workspace's outcome.
     */
    @SuppressWarnings("unchecked")
    public Map<String, SyncOutcome> syncAll() {
        ProducerTemplate template = context().createProducerTemplate();
        Exchange result = template.send("direct:clari-sync-all", e -> { });
        if (result.getException() != null) {
            throw new IllegalStateException("the clari-sync-all route failed outside its own error handling", result.getException());
        }
        Map<String, SyncOutcome> outcomes = result.getMessage().getBody(Map.class);
        return outcomes == null ? Map.of() : outcomes;
    }

    /** Runs one sync of the default account through the {@code clari-sync} route and returns how it ended. */
    public SyncOutcome syncOnce() {
        return syncOnce(Account.DEFAULT);
    }

    /** Runs one sync of {@code account} through the {@code clari-sync} route and returns how it ended. */
    public SyncOutcome syncOnce(String account) {
        ProducerTemplate template = context().createProducerTemplate();
        Exchange result = template.send("direct:clari-sync", e -> e.getMessage().setHeader(ExchangeProperties.ACCOUNT_HEADER, account));
        if (result.getException() != null) {
            throw new IllegalStateException("the clari-sync route failed outside its own error handling", result.getException());
        }
        SyncOutcome outcome = result.getMessage().getBody(SyncOutcome.class);
        if (outcome == null) {
            throw new IllegalStateException("the clari-sync route ended without an outcome (is another sync running?)");
        }
        return outcome;
    }

    /** Sends {@code GET /calls?limit=1} through the {@code clari-check} route; throws what the API answered when it fails. */
    public com.fasterxml.jackson.databind.JsonNode checkApi() {
        return checkApi("/calls", "limit=1");
    }

    /** Sends one {@code GET path?query} through the {@code clari-check} route: the parsed answer, or what the API answered. */
    public com.fasterxml.jackson.databind.JsonNode checkApi(String path, String query) {
        ProducerTemplate template = context().createProducerTemplate();
        Exchange result = template.send("direct:clari-check", e -> {
            e.setProperty(ExchangeProperties.PATH, path);
            e.setProperty(ExchangeProperties.QUERY, query);
        });
        if (result.getException() != null) {
            throw new org.apache.camel.RuntimeCamelException(result.getException());
        }
        return result.getMessage().getBody(com.fasterxml.jackson.databind.JsonNode.class);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Warehouse warehouse() {
        return warehouse;
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
        Warehouse opened = Warehouse.open(settings.warehouseUrl(), settings.warehouseUser(), settings.warehousePassword().reveal(),
                settings.warehouseSchema());
        others.add(opened);
        Account account = new Account(id, settings, opened, null, beans.clock());
        beans.addAccount(context(), account);
        return account;
    }

    /** The largest answer (with a Content-Length) read into memory rather than through Camel's stream cache. */
    static final int RESPONSE_IN_MEMORY_BYTES = 16 << 20;

    /** Camel's own settings, derived from ours. */
    static Map<String, String> camelRuntimeProperties(ConnectorSettings settings, boolean service) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("camel.main.name", "clari-copilot-connector");
        // camel-http would otherwise retry 429/503 once on its own, hidden from our policy
        p.put("camel.component.http.automatic-retries-disabled", "true");
        // firsthour #18: clari.api.timeout bounds the connect too (camel-http's own default is 3 minutes per attempt)
        p.put("camel.component.http.connect-timeout", Long.toString(settings.apiTimeout().toMillis()));
        // an answer with a Content-Length up to this size is read into a byte array and its connection released at once;
        // above it (the default is 8 KiB, less than most /call-details answers) camel-http copies the body into a stream
        // cache whose cleanup is registered on the exchange, and the split hands those over to the sync's exchange: one
        // object graph per request kept until the run ends (86,000 at 100,000 calls), and pages over 128 KiB spooled
        // to temp files. The body is parsed into a tree anyway, which is larger than its bytes.
        p.put("camel.component.http.response-payload-streaming-threshold", Integer.toString(RESPONSE_IN_MEMORY_BYTES));
        // an answer above that (an all-day transcript) is copied by camel-http into a stream cache: spooled to a temp file
        // past 4 MiB rather than grown in memory, so reading it stops at clari.details.max-answer-bytes (set aside, not
        // an OutOfMemoryError in a details thread, which left the run waiting for an answer that never came)
        p.put("camel.main.stream-caching-spool-enabled", "true");
        p.put("camel.main.stream-caching-spool-threshold", Integer.toString(4 << 20));
        // run: the page in flight may finish (45 s); a one-shot command asked to stop (SIGTERM) abandons it sooner: every
        // page and batch commits whole, so the next run resumes exactly (CrashSafetyIT)
        p.put("camel.main.shutdown-timeout", service ? "45" : "5");
        p.put("camel.main.extra-shutdown-timeout", service ? "15" : "3");
        p.put(KnownKeys.SCHEDULED, Boolean.toString(service));
        p.put(KnownKeys.SYNC_ON_START, Boolean.toString(service && settings.runOnStart()));
        // Micrometer route timings and our domain metrics share one Prometheus registry
        p.put("camel.metrics.enabled", "true");
        p.put("camel.metrics.enable-route-policy", Boolean.toString(service));
        if (!service) {
            // a one-shot command serves no metrics and no JMX, and these cost CPU on every exchange: the exchange
            // notifier searched the whole registry each time, JMX timed every step (a tenth of a details fetch)
            p.put("camel.metrics.enable-exchange-event-notifier", "false");
            p.put("camel.metrics.enable-route-event-notifier", "false");
            p.put("camel.main.jmx-enabled", "false");
        }
        if (service) {
            // run mode: /observe/health{,/live,/ready} and /observe/metrics on management.port
            p.put("camel.management.enabled", "true");
            p.put("camel.management.port", Integer.toString(settings.managementPort()));
            p.put("camel.management.host", "0.0.0.0");
            p.put("camel.management.health-check-enabled", "true");
            p.put("camel.management.metrics-enabled", "true");
            p.put("camel.health.enabled", "true");
            // edited route files are reloaded in place; a broken edit is rejected and the running routes stay
            p.put("camel.main.routes-reload-enabled", "true");
            p.put("camel.main.routes-reload-directory", Path.of(settings.routesDir()).toAbsolutePath().normalize().toString());
            p.put("camel.main.routes-reload-pattern", "*.camel.yaml");
            p.put("camel.main.routes-reload-remove-all-routes", "false");
        }
        return p;
    }

    /** {@code file:<routes.dir>/*.camel.yaml}, or the packaged copies when the folder does not exist or is blank. */
    static String routesPattern(String routesDir) {
        if (routesDir.isBlank()) {
            return packagedRoutes(); // an embedded connector (the Kamelet): never the host's ./routes
        }
        Path dir = Path.of(routesDir).toAbsolutePath().normalize();
        if (Files.isDirectory(dir)) {
            LOG.debug("routes from {}", dir);
            return "file:" + dir + "/*.camel.yaml";
        }
        LOG.info("routes folder {} not found: using the routes packaged in the jar", dir);
        return packagedRoutes();
    }

    /**
     * The packaged route files, named one by one ({@code classpath:routes/a.camel.yaml,...}). A classpath wildcard
     * would make Camel inflate every entry of the ~100 MB jar to find them, twice per start (about 3 s); the jar's
     * central directory lists them in milliseconds.
     */
    static String packagedRoutes() {
        List<String> names = new ArrayList<>();
        try {
            Path source = Path.of(ConnectorApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(source)) {
                try (var files = Files.list(source.resolve("routes"))) {
                    files.map(f -> "routes/" + f.getFileName()).forEach(names::add);
                }
            } else {
                try (ZipFile jar = new ZipFile(source.toFile())) {
                    jar.stream().map(ZipEntry::getName).filter(n -> n.startsWith("routes/")).forEach(names::add);
                }
            }
        } catch (Exception e) {
            LOG.debug("cannot list the packaged routes ({}): letting Camel scan the classpath", e.toString());
            return "classpath:routes/*.camel.yaml";
        }
        return names.stream().filter(n -> n.endsWith(".camel.yaml") && n.indexOf('/', "routes/".length()) < 0).sorted()
                .map(n -> "classpath:" + n).collect(Collectors.joining(","));
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
            others.forEach(Warehouse::close);
            warehouse.close();
        }
    }
}
