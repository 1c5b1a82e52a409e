package dev.clarisync.camel;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.clarisync.api.ApiCall;
import dev.clarisync.api.ApiLimits;
import dev.clarisync.api.ApiResponses;
import dev.clarisync.api.ClariHttpClient;
import dev.clarisync.api.ClariRateLimiter;
import dev.clarisync.api.LimitGroups;
import dev.clarisync.api.PageSizePolicy;
import dev.clarisync.api.RetryPolicy;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.KnownKeys;
import dev.clarisync.config.SettingsSource;
import dev.clarisync.config.Workspaces;
import dev.clarisync.ops.ConnectorMetrics;
import dev.clarisync.ops.LastKnown;
import dev.clarisync.ops.ReadinessCheck;
import dev.clarisync.report.AnalyticsRefresh;
import dev.clarisync.report.DashboardPage;
import dev.clarisync.routes.ExchangeProperties;
import dev.clarisync.sync.Account;
import dev.clarisync.sync.ListStream;
import dev.clarisync.sync.PerParentStream;
import dev.clarisync.sync.RunContext;
import dev.clarisync.sync.SyncRun;
import dev.clarisync.sync.WarehouseIdempotentRepository;
import dev.clarisync.warehouse.Warehouse;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds every bean the YAML routes refer to, by the names the routes use ({@code syncRun},
 * {@code apiCall}, {@code callsStream}, ...). The one place the object graph is built:
 * {@link ConnectorApplication} hands it settings and an open warehouse; Camel K (or any Camel Main)
 * loads it through {@code camel.main.configuration-classes=dev.clarisync.camel.ConnectorConfiguration},
 * and it then reads the settings itself (application.properties, env, Camel properties) and opens
 * the warehouse. Resources it opens are closed when the Camel context stops.
 */
public final class ConnectorConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorConfiguration.class);
    private ConnectorSettings settings;
    private Warehouse warehouse;
    private final String command;
    /** Id of the account built from {@link #settings}: {@link Account#DEFAULT}, or the first workspace's name. */
    private String firstAccount;
    /** Camel K with {@code clari.workspaces}: the other workspaces and their opened warehouses, registered in {@link #configure}. */
    private Map<Workspaces.Workspace, Warehouse> otherWorkspaces = Map.of();
    /** Workspaces whose warehouse did not open (name → reason), for readiness. */
    private final Map<String, String> leftOut = new java.util.concurrent.ConcurrentSkipListMap<>();
    private SyncRun syncRun;
    private ExecutorService detailsPool;
    /** Workspaces synced at the same time by clari-sync-all ({@code clari.workspaces.parallelism}; 1 for one workspace). */
    private int workspacesParallelism = 1;
    private ExecutorService workspacesPool;
    private final WorkspaceSyncs workspaceSyncs = new WorkspaceSyncs();
    /** Which accounts share a rate limit (declared groups, same credentials, or found out from 429s). */
    private final LimitGroups limitGroups = new LimitGroups();
    private ConnectorMetrics metrics;
    private io.micrometer.core.instrument.MeterRegistry meters;
    /** Each workspace's warehouse and last outcome, for the readiness check. */
    private final java.util.List<ReadinessCheck.Target> readiness = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The connector's one clock: run start instants, written timestamps, the weekly ledger. */
    private final Clock clock;
    /** The process environment the settings are read from when none are given (Camel K). */
    private final Map<String, String> environment;

    /** For {@code camel.main.configuration-classes}: settings and warehouse come from the environment. */
    public ConnectorConfiguration() {
        this(System.getenv());
    }

    /** As {@link #ConnectorConfiguration()}, reading the settings from {@code environment} instead of the process's. */
    public ConnectorConfiguration(Map<String, String> environment) {
        this(null, null, "run", Account.DEFAULT, Clock.systemUTC(), environment);
    }

    public ConnectorConfiguration(ConnectorSettings settings, Warehouse warehouse, String command) {
        this(settings, warehouse, command, Account.DEFAULT, Clock.systemUTC());
    }

    /**
     * @param firstAccount the id of the account {@code settings} and {@code warehouse} belong to (a workspace's name)
     * @param clock        the connector's one clock (a test may simulate weeks of syncs in seconds)
     */
    public ConnectorConfiguration(ConnectorSettings settings, Warehouse warehouse, String command, String firstAccount, Clock clock) {
        this(settings, warehouse, command, firstAccount, clock, Map.of());
    }

    private ConnectorConfiguration(ConnectorSettings settings, Warehouse warehouse, String command, String firstAccount, Clock clock,
            Map<String, String> environment) {
        this.environment = environment;
        this.clock = clock;
        this.settings = settings;
        this.warehouse = warehouse;
        this.command = command;
        this.firstAccount = firstAccount;
    }

    @Override
    public void configure(CamelContext context) {
        if (settings == null) {
            Map<String, String> props = propertiesFrom(context, environment);
            if (Workspaces.names(props).isEmpty()) {
                settings = ConnectorSettings.from(props, true);
            } else {
                openWorkspaces(Workspaces.shard(Workspaces.from(props, true), props), Workspaces.parallelism(props));
            }
            // no Launcher here (Camel K): give the routes' {{...}} placeholders the connector's defaults,
            // below anything the platform set (camel.properties trait, env)
            var pc = context.getPropertiesComponent();
            settings.camelProperties().forEach((k, v) -> {
                if (pc.resolveProperty(k).isEmpty()) {
                    pc.addInitialProperty(k, v);
                }
            });
            ConnectorApplication.camelRuntimeProperties(settings, true).forEach((k, v) -> {
                if (k.startsWith("clari.") && pc.resolveProperty(k).isEmpty()) {
                    pc.addInitialProperty(k, v);
                }
            });
        }
        if (warehouse == null) {
            warehouse = Warehouse.open(settings.warehouseUrl(), settings.warehouseUser(), settings.warehousePassword().reveal(),
                    settings.warehouseSchema());
        }
        Registry registry = context.getRegistry();
        PrometheusMeterRegistry meters = registry.lookupByNameAndType("metricsRegistry", PrometheusMeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind("metricsRegistry", meters);
        }
        dev.clarisync.ops.MetricsNaming.apply(meters); // snake_case labels, help on every metric (promtool)
        this.meters = meters;
        Account first = newAccount(firstAccount, settings, warehouse);
        metrics = first.metrics();
        syncRun = new SyncRun(command);
        // threads on demand: each run's in-flight window (clari.details.max-in-flight) bounds its requests out
        detailsPool = PerParentStream.newPool();
        workspacesPool = java.util.concurrent.Executors.newFixedThreadPool(workspacesParallelism, r -> {
            Thread t = new Thread(r, "clari-workspace");
            t.setDaemon(true);
            return t;
        });

        registry.bind("syncRun", syncRun);
        registry.bind("apiCall", new ApiCall());
        // exact, and several times faster than the JDK's parsing for the float metrics every call carries
        registry.bind("apiResponses", new ApiResponses(JsonMapper.builder()
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build()));
        // each account's limiter and page-size policy, found through the exchange's run (apiLimits, retryPolicy)
        registry.bind("apiLimits", new ApiLimits());
        // the retry counter belongs to the run of the exchange that is retried
        registry.bind("retryPolicy", new RetryPolicy(settings.maxRetries(), settings.retryDelay(), settings.maxRetryDelay(),
                settings.throttleDelay(), (exchange, d) -> RunContext.of(exchange).stats().retry()));
        registry.bind("listStream", new ListStream());
        registry.bind("perParentStream", new PerParentStream());
        registry.bind("processedVersions", new WarehouseIdempotentRepository());
        registry.bind("detailsPool", detailsPool);
        registry.bind("workspacesPool", workspacesPool);
        registry.bind("workspaceSyncs", workspaceSyncs);
        addAccount(context, first);
        otherWorkspaces.forEach((w, wh) -> addAccount(context, newAccount(w.name(), w.settings(), wh)));
        // one workspace: as before; many: ready while the warehouse answers and any workspace's credentials are accepted
        registry.bind("clariReadiness", Account.DEFAULT.equals(firstAccount) ? new ReadinessCheck(warehouse, syncRun::lastOutcome)
                : new ReadinessCheck(readiness, leftOut));
        // the service and the demo keep the dashboard current; a one-shot sync refreshes the views only
        boolean dashboard = "run".equals(command) || "demo".equals(command);
        registry.bind("analytics", new AnalyticsRefresh(dashboard ? Path.of(settings.reportOut()) : null));

        if ("run".equals(command)) {
            releaseBetweenSyncs(context);
            if (settings.reportServe()) {
                serveDashboard(context);
            }
        }

        Warehouse opened = warehouse;
        ExecutorService pool = detailsPool;
        ExecutorService workspaces = workspacesPool;
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    workspaces.shutdownNow();
                    pool.shutdownNow();
                    opened.close();
                    otherWorkspaces.values().forEach(Warehouse::close);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the connector's resources with Camel", e);
        }
    }

    /**
     * The service holds a DuckDB file only while a sync writes it: once Camel has started (the start-up checks, the
     * schema migration and the accounts' bookkeeping tables, ran when the warehouses opened), every account's file is
     * closed, and each sync reopens it ({@code syncRun.tryBegin}) until its views are refreshed
     * ({@code syncRun.releaseWarehouse}). Readers can open the file in between. PostgreSQL is left as it is.
     */
    private void releaseBetweenSyncs(CamelContext context) {
        try {
            context.addStartupListener(releaseOnStart());
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the warehouse release with Camel", e);
        }
    }

    private org.apache.camel.StartupListener releaseOnStart() {
        return new org.apache.camel.StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // routes not yet running: wait for onCamelContextFullyStarted
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                for (ReadinessCheck.Target t : readiness) {
                    if (t.warehouse().releaseBetweenWrites()) {
                        LOG.info("warehouse file released between syncs: readers may open it ({})", t.warehouse().describe());
                    }
                }
            }
        };
    }

    /**
     * {@code report.serve=true}: GET {@code /dashboard} (one workspace) or {@code /dashboard/<workspace>} answers with the
     * file the last sync wrote ({@link DashboardPage}). A route in Java rather than a route file: the files are loaded by
     * every command, and a platform-http consumer needs the HTTP server that only {@code run} starts; with the main
     * server off (camel.server.enabled), Camel's platform-http engine attaches it to the management server
     * ({@code management.port}), beside /observe.
     */
    private void serveDashboard(CamelContext context) {
        DashboardPage page = new DashboardPage(Path.of(settings.reportOut()), workspaceSyncs::names);
        context.getRegistry().bind("dashboardPage", page);
        // HTTP's default filter drops Cache-Control from answers; the page sets only its own headers (it clears the
        // request's), so only Camel's internal ones are kept out, both ways
        org.apache.camel.support.DefaultHeaderFilterStrategy headers = new org.apache.camel.support.DefaultHeaderFilterStrategy();
        headers.setOutFilterStartsWith(org.apache.camel.support.DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
        headers.setInFilterStartsWith(org.apache.camel.support.DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
        context.getRegistry().bind("dashboardHeaders", headers);
        String options = "?httpMethodRestrict=GET&headerFilterStrategy=#dashboardHeaders";
        try {
            context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("platform-http:/dashboard" + options).routeId("clari-dashboard").bean(page, "serve");
                    from("platform-http:/dashboard/{" + DashboardPage.WORKSPACE + "}" + options)
                            .routeId("clari-dashboard-workspace").bean(page, "serve");
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot add the dashboard route", e);
        }
        LOG.info("report.serve=true: the dashboard (personal data: names, calls, deals) is served at /dashboard on port {} to "
                + "anyone who reaches it; keep that port private", settings.managementPort());
    }

    /**
     * Settings as the connector resolves them (the environment's variables checked), with any Camel property of the same
     * key (e.g. Camel K's camel.properties trait) winning. A Camel property that looks like ours but is no key stops the
     * start, as an unknown key does on the command line: without this check a typo in the trait or the mounted
     * configuration would be silently ignored.
     */
    static Map<String, String> propertiesFrom(CamelContext context, Map<String, String> environment) {
        KnownKeys.checkCamelProperties(context.getPropertiesComponent().loadProperties(KnownKeys::isOurs).stringPropertyNames(),
                SettingsSource.packagedKeys());
        Map<String, String> p = SettingsSource.resolve(Map.of(), environment, Path.of("").toAbsolutePath());
        for (String key : new ArrayList<>(p.keySet())) {
            context.getPropertiesComponent().resolveProperty(key).ifPresent(v -> p.put(key, v));
        }
        // per-workspace keys exist only for the listed workspaces, so a Camel property may add them
        for (String name : Workspaces.names(p)) {
            for (String suffix : Workspaces.suffixes()) {
                String key = Workspaces.key(name, suffix);
                context.getPropertiesComponent().resolveProperty(key).ifPresent(v -> p.put(key, v));
            }
        }
        return p;
    }

    /**
     * Camel K with {@code clari.workspaces} (no Launcher): opens each workspace's warehouse; the first that opens is
     * the first account, the others are registered beside it. A workspace whose warehouse does not open is logged and
     * left out (it fails alone, as in {@code run}); if none opens, the first failure is thrown.
     */
    private void openWorkspaces(java.util.List<Workspaces.Workspace> workspaces, int parallelism) {
        OpenedWorkspaces all = OpenedWorkspaces.open(workspaces);
        all.failed().forEach((name, e) -> {
            LOG.error("workspace {}: not synced, its warehouse did not open: {}", name, e.getMessage());
            leftOut(name, e.getMessage());
        });
        Workspaces.Workspace first = all.first();
        settings = first.settings();
        warehouse = all.opened().get(first);
        firstAccount = first.name();
        otherWorkspaces = all.others();
        workspacesParallelism(Math.min(parallelism, all.opened().size()));
    }

    public ConnectorSettings settings() {
        return settings;
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    public Clock clock() {
        return clock;
    }

    public SyncRun syncRun() {
        return syncRun;
    }

    /**
     * Registers an account with the running connector: its HTTP client (its base URL's credentials and timeout, bound
     * by name for the clari-api route) and its syncs, started by sending to {@code direct:clari-sync} with the header
     * {@value ExchangeProperties#ACCOUNT_HEADER}. The default account is registered by {@link #configure}.
     */
    public void addAccount(CamelContext context, Account account) {
        ConnectorSettings s = account.settings();
        ConnectorMetrics counted = account.metrics() != null ? account.metrics() : metrics;
        account.shareLimits(limitGroups);
        context.getRegistry().bind(account.httpClient(), new ClariHttpClient(s.apiKey(), s.apiPassword(), s.apiTimeout(), s.apiProxy(),
                account::onRequest, counted::response));
        readiness.add(new ReadinessCheck.Target(account.id(), account.warehouse(), account::lastOutcome));
        AnalyticsRefresh.attach(account.warehouse());
        syncRun.add(account);
        workspaceSyncs.add(account.id());
    }

    /**
     * A new account with its own metrics: unlabelled for the single workspace ({@link Account#DEFAULT}), labelled
     * {@code workspace=<id>} for a named one. Register it with {@link #addAccount}.
     */
    public Account newAccount(String id, ConnectorSettings accountSettings, Warehouse accountWarehouse) {
        Account[] account = new Account[1];
        ConnectorMetrics m = new ConnectorMetrics(meters, Account.DEFAULT.equals(id) ? null : id,
                () -> Math.max(0, account[0].budget().remaining()), new LastKnown(() -> account[0].backlog().size()),
                new LastKnown(() -> account[0].warehouse().count("_schema_changes")));
        account[0] = new Account(id, accountSettings, accountWarehouse, m, clock);
        return account[0];
    }

    /** A workspace left out because its warehouse did not open: readiness reports it. */
    public void leftOut(String workspace, String reason) {
        leftOut.put(workspace, reason);
    }

    /** Sets {@code clari.workspaces.parallelism}; before {@link #configure}. */
    public void workspacesParallelism(int parallelism) {
        this.workspacesParallelism = Math.max(1, parallelism);
    }
}
