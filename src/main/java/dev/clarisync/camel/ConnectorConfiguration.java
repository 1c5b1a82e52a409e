package dev.clarisync.camel;

import dev.clarisync.boot.ConnectorBeans;
import dev.clarisync.boot.OpenedWorkspaces;
import dev.clarisync.config.CamelMainSettings;
import dev.clarisync.config.ConnectorPlan;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.KnownKeys;
import dev.clarisync.config.SettingsSource;
import dev.clarisync.report.DashboardPage;
import dev.clarisync.sync.Account;
import dev.clarisync.warehouse.Warehouse;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one configuration class: binds the connector's beans ({@link ConnectorBeans}, built once) into Camel's registry
 * by the names the YAML routes use, with the Camel-only pieces (the workspaces' split, the dashboard route, the warehouse
 * release of {@code run}). Two ways in, one graph: {@link ConnectorApplication} (the Launcher's commands) hands it the
 * warehouses it opened from its {@link ConnectorPlan}; Camel K (or any Camel Main) loads it through
 * {@code camel.main.configuration-classes=dev.clarisync.camel.ConnectorConfiguration}, and it then builds the same plan
 * from application.properties, the environment and the Camel properties, and opens the warehouses itself. Either way
 * they are closed when the Camel context stops.
 */
public final class ConnectorConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorConfiguration.class);
    private final String command;
    private final Clock clock;
    /** The process environment the plan is read from when no warehouses are given (Camel K). */
    private final Map<String, String> environment;
    private OpenedWorkspaces warehouses;
    private ConnectorBeans beans;

    /** For {@code camel.main.configuration-classes}: the plan comes from the environment and Camel's properties. */
    public ConnectorConfiguration() {
        this(System.getenv());
    }

    /** As {@link #ConnectorConfiguration()}, reading the settings from {@code environment} instead of the process's. */
    public ConnectorConfiguration(Map<String, String> environment) {
        this(null, "run", Clock.systemUTC(), environment);
    }

    /**
     * @param warehouses the plan's opened warehouses, closed when Camel stops
     * @param clock      the connector's one clock (a test may simulate weeks of syncs in seconds)
     */
    public ConnectorConfiguration(OpenedWorkspaces warehouses, String command, Clock clock) {
        this(warehouses, command, clock, Map.of());
    }

    private ConnectorConfiguration(OpenedWorkspaces warehouses, String command, Clock clock, Map<String, String> environment) {
        this.warehouses = warehouses;
        this.command = command;
        this.clock = clock;
        this.environment = environment;
    }

    @Override
    public void configure(CamelContext context) {
        if (warehouses == null) {
            warehouses = openFromPlatform(context.getPropertiesComponent()); // Camel K
        }
        Registry registry = context.getRegistry();
        PrometheusMeterRegistry meters = registry.lookupByNameAndType("metricsRegistry", PrometheusMeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind("metricsRegistry", meters);
        }
        dev.clarisync.ops.MetricsNaming.apply(meters); // snake_case labels, help on every metric (promtool)
        beans = new ConnectorBeans(warehouses, command, clock, meters);
        beans.named().forEach(registry::bind);
        registry.bind("workspaceSyncs", new WorkspaceSyncs(beans::accounts));
        ConnectorSettings settings = warehouses.first().settings();
        if ("run".equals(command)) {
            releaseBetweenSyncs(context);
            if (settings.reportServe()) {
                serveDashboard(context, settings);
            }
        }
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    beans.close();
                    warehouses.close(); // once: ConnectorApplication.close may ask again
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the connector's resources with Camel", e);
        }
    }

    /**
     * Camel K (no Launcher): the plan from the settings as the connector resolves them, Camel's properties of the same
     * keys winning ({@link SettingsSource#resolveOnPlatform}), and its warehouses opened; the routes' placeholders get
     * the connector's defaults below anything the platform set ({@link CamelMainSettings#forPlatform}).
     */
    private OpenedWorkspaces openFromPlatform(PropertiesComponent pc) {
        Map<String, String> props = SettingsSource.resolveOnPlatform(environment, Path.of("").toAbsolutePath(),
                pc.loadProperties(KnownKeys::isOurs).stringPropertyNames(), pc::resolveProperty);
        OpenedWorkspaces opened = OpenedWorkspaces.open(ConnectorPlan.from(props, true), false);
        CamelMainSettings.forPlatform(opened.first().settings()).forEach((k, v) -> {
            if (pc.resolveProperty(k).isEmpty()) {
                pc.addInitialProperty(k, v);
            }
        });
        return opened;
    }

    /**
     * The service holds a DuckDB file only while a sync writes it: once Camel has started (the start-up checks, the
     * schema migration and the accounts' bookkeeping tables, ran when the warehouses opened), every account's file is
     * closed, and each sync reopens it ({@code syncRun.tryBegin}) until its views are refreshed
     * ({@code syncRun.releaseWarehouse}). Readers can open the file in between. PostgreSQL is left as it is.
     */
    private void releaseBetweenSyncs(CamelContext context) {
        try {
            context.addStartupListener(new org.apache.camel.StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                    // routes not yet running: wait for onCamelContextFullyStarted
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                    beans.warehouses().stream().filter(Warehouse::releaseBetweenWrites).forEach(w ->
                            LOG.info("warehouse file released between syncs: readers may open it ({})", w.describe()));
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the warehouse release with Camel", e);
        }
    }

    /**
     * {@code report.serve=true}: GET {@code /dashboard} (one workspace) or {@code /dashboard/<workspace>} answers with the
     * file the last sync wrote ({@link DashboardPage}). A route in Java rather than a route file: the files are loaded by
     * every command, and a platform-http consumer needs the HTTP server that only {@code run} starts; with the main
     * server off (camel.server.enabled), Camel's platform-http engine attaches it to the management server
     * ({@code management.port}), beside /observe.
     */
    private void serveDashboard(CamelContext context, ConnectorSettings settings) {
        DashboardPage page = new DashboardPage(Path.of(settings.reportOut()), beans::accounts);
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

    public dev.clarisync.sync.SyncRun syncRun() {
        return beans.syncRun();
    }

    /** Registers an account added after start ({@link ConnectorApplication#addAccount}): its beans, its syncs. */
    public Account addAccount(CamelContext context, String id, ConnectorSettings settings, Warehouse warehouse) {
        Account account = new Account(id, settings, warehouse, null, clock);
        beans.add(account).forEach(context.getRegistry()::bind);
        return account;
    }
}
