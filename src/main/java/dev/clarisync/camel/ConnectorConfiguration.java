package dev.clarisync.camel;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clarisync.api.ApiCall;
import dev.clarisync.api.ApiResponses;
import dev.clarisync.api.ClariHttpClient;
import dev.clarisync.api.ClariRateLimiter;
import dev.clarisync.api.PageSizePolicy;
import dev.clarisync.api.RetryPolicy;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.SettingsSource;
import dev.clarisync.ops.ConnectorMetrics;
import dev.clarisync.ops.ReadinessCheck;
import dev.clarisync.report.AnalyticsRefresh;
import dev.clarisync.sync.CallsStream;
import dev.clarisync.sync.DetailsBacklog;
import dev.clarisync.sync.DetailsStream;
import dev.clarisync.sync.RequestBudget;
import dev.clarisync.sync.RunStats;
import dev.clarisync.sync.SyncRun;
import dev.clarisync.sync.UsersStream;
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

/**
 * Binds every bean the YAML routes refer to, by the names the routes use ({@code syncRun},
 * {@code apiCall}, {@code callsStream}, ...). The one place the object graph is built:
 * {@link ConnectorApplication} hands it settings and an open warehouse; Camel K (or any Camel Main)
 * loads it through {@code camel.main.configuration-classes=dev.clarisync.camel.ConnectorConfiguration},
 * and it then reads the settings itself (application.properties, env, Camel properties) and opens
 * the warehouse. Resources it opens are closed when the Camel context stops.
 */
public final class ConnectorConfiguration implements CamelConfiguration {
    private ConnectorSettings settings;
    private Warehouse warehouse;
    private final String command;
    private SyncRun syncRun;
    private ExecutorService detailsPool;

    /** For {@code camel.main.configuration-classes}: settings and warehouse come from the environment. */
    public ConnectorConfiguration() {
        this(null, null, "run");
    }

    public ConnectorConfiguration(ConnectorSettings settings, Warehouse warehouse, String command) {
        this.settings = settings;
        this.warehouse = warehouse;
        this.command = command;
    }

    @Override
    public void configure(CamelContext context) {
        if (settings == null) {
            settings = settingsFrom(context);
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
        Clock clock = Clock.systemUTC();
        DetailsBacklog backlog = new DetailsBacklog(warehouse);
        RequestBudget budget = new RequestBudget(settings, warehouse, clock);
        ConnectorMetrics metrics = new ConnectorMetrics(meters, () -> Math.max(0, budget.remaining()), backlog::size,
                () -> warehouse.count("_schema_changes"));
        RunStats stats = new RunStats(metrics);
        syncRun = new SyncRun(settings, warehouse, stats, budget, metrics, clock);
        syncRun.command(command);
        WarehouseIdempotentRepository callsIdempotency = new WarehouseIdempotentRepository(warehouse, CallsStream.STREAM);
        WarehouseIdempotentRepository detailsIdempotency = new WarehouseIdempotentRepository(warehouse, DetailsStream.STREAM);
        detailsPool = DetailsStream.newPool(settings.detailsParallelism());

        registry.bind("syncRun", syncRun);
        registry.bind("apiCall", new ApiCall(settings.apiBaseUrl().toString()));
        registry.bind("apiResponses", new ApiResponses(new ObjectMapper()));
        registry.bind("clariHttpClient", new ClariHttpClient(settings.apiKey(), settings.apiPassword(), settings.apiTimeout(),
                path -> {
                    stats.request(path);
                    budget.onRequest();
                }, metrics::response));
        // issue 13 hook: one limiter and one page-size policy per account, shared by every stream, thread and
        // retry; route clari-api calls them, the retry policy tells them about 429s and failed pages
        ClariRateLimiter limiter = ClariRateLimiter.from(settings);
        PageSizePolicy pageSizes = PageSizePolicy.from(settings);
        registry.bind("clariLimiter", limiter);
        registry.bind("pageSizePolicy", pageSizes);
        registry.bind("retryPolicy", new RetryPolicy(settings.maxRetries(), settings.retryDelay(), settings.maxRetryDelay(),
                settings.throttleDelay(), d -> stats.retry(), limiter, pageSizes));
        registry.bind("usersStream", new UsersStream(warehouse, syncRun, budget));
        registry.bind("callsStream", new CallsStream(settings, warehouse, syncRun, callsIdempotency, backlog::enqueue, budget));
        registry.bind("callsIdempotency", callsIdempotency);
        registry.bind("detailsStream", new DetailsStream(settings, warehouse, syncRun, detailsIdempotency, backlog, budget));
        registry.bind("detailsIdempotency", detailsIdempotency);
        registry.bind("detailsPool", detailsPool);
        registry.bind("clariReadiness", new ReadinessCheck(warehouse, syncRun::lastOutcome));
        // the service and the demo keep the dashboard current; a one-shot sync refreshes the views only
        boolean dashboard = "run".equals(command) || "demo".equals(command);
        registry.bind("analytics", new AnalyticsRefresh(warehouse, dashboard ? Path.of(settings.reportOut()) : null,
                stats::totalRows));

        Warehouse opened = warehouse;
        ExecutorService pool = detailsPool;
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    pool.shutdownNow();
                    opened.close();
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the connector's resources with Camel", e);
        }
    }

    /** Settings as the connector resolves them, with any Camel property of the same key (e.g. Camel K's camel.properties trait) winning. */
    static ConnectorSettings settingsFrom(CamelContext context) {
        Map<String, String> p = SettingsSource.resolve(Map.of(), System.getenv(), Path.of("").toAbsolutePath());
        for (String key : new ArrayList<>(p.keySet())) {
            context.getPropertiesComponent().resolveProperty(key).ifPresent(v -> p.put(key, v));
        }
        return ConnectorSettings.from(p, true);
    }

    public ConnectorSettings settings() {
        return settings;
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    public SyncRun syncRun() {
        return syncRun;
    }
}
