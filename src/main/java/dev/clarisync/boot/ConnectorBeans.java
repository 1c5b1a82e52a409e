package dev.clarisync.boot;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.clarisync.api.ApiCall;
import dev.clarisync.api.ApiLimits;
import dev.clarisync.api.ApiResponses;
import dev.clarisync.api.ClariHttpClient;
import dev.clarisync.api.LimitGroups;
import dev.clarisync.api.RetryPolicy;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.ops.ConnectorMetrics;
import dev.clarisync.ops.LastKnown;
import dev.clarisync.ops.ReadinessCheck;
import dev.clarisync.report.AnalyticsRefresh;
import dev.clarisync.sync.Account;
import dev.clarisync.sync.ListStream;
import dev.clarisync.sync.PerParentStream;
import dev.clarisync.sync.RunContext;
import dev.clarisync.sync.SyncRun;
import dev.clarisync.sync.WarehouseIdempotentRepository;
import dev.clarisync.warehouse.Warehouse;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every bean the YAML routes call, built once, by the names the routes use ({@code syncRun}, {@code apiCall},
 * {@code listStream}, ...), with one account per opened workspace. Plain objects: {@code ConnectorConfiguration} binds
 * {@link #named()} into Camel's registry (and adds the Camel-only pieces), so both start-ups get this one graph.
 */
public final class ConnectorBeans implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorBeans.class);
    /** The connector's one clock: run start instants, written timestamps, the weekly ledger. */
    private final Clock clock;
    private final MeterRegistry meters;
    private final SyncRun syncRun;
    /** Which accounts share a rate limit (declared groups, same credentials, or found out from 429s). */
    private final LimitGroups limitGroups = new LimitGroups();
    /** Each workspace's warehouse and last outcome, for the readiness check. */
    private final List<ReadinessCheck.Target> readiness = new CopyOnWriteArrayList<>();
    /** Workspaces whose warehouse did not open (name → reason), for readiness. */
    private final Map<String, String> leftOut = new ConcurrentSkipListMap<>();
    private final ExecutorService detailsPool;
    private final ExecutorService workspacesPool;
    private final Map<String, Object> named = new LinkedHashMap<>();
    /** The first account's metrics, which also count the accounts added without their own. */
    private ConnectorMetrics metrics;

    /** Builds the graph for {@code warehouses}' workspaces, run by {@code command} (sync, run, check, demo, kamelet). */
    public ConnectorBeans(OpenedWorkspaces warehouses, String command, Clock clock, MeterRegistry meters) {
        ConnectorSettings settings = warehouses.first().settings();
        this.clock = clock;
        this.meters = meters;
        this.syncRun = new SyncRun(command);
        // threads on demand: each run's in-flight window (clari.details.max-in-flight) bounds its requests out
        this.detailsPool = PerParentStream.newPool();
        this.workspacesPool = Executors.newFixedThreadPool(warehouses.parallelism(), r -> {
            Thread t = new Thread(r, "clari-workspace");
            t.setDaemon(true);
            return t;
        });
        named.put("syncRun", syncRun);
        named.put("apiCall", new ApiCall());
        // exact, and several times faster than the JDK's parsing for the float metrics every call carries
        named.put("apiResponses", new ApiResponses(JsonMapper.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build()));
        // each account's limiter and page-size policy, found through the exchange's run (apiLimits, retryPolicy)
        named.put("apiLimits", new ApiLimits());
        // the retry counter belongs to the run of the exchange that is retried
        named.put("retryPolicy", new RetryPolicy(settings.maxRetries(), settings.retryDelay(), settings.maxRetryDelay(),
                settings.throttleDelay(), (exchange, d) -> RunContext.of(exchange).stats().retry()));
        named.put("listStream", new ListStream());
        named.put("perParentStream", new PerParentStream());
        named.put("processedVersions", new WarehouseIdempotentRepository());
        named.put("detailsPool", detailsPool);
        named.put("workspacesPool", workspacesPool);
        warehouses.opened().forEach((w, warehouse) -> named.putAll(add(newAccount(w.name(), w.settings(), warehouse))));
        warehouses.failed().forEach((name, e) -> {
            if ("run".equals(command)) { // the service goes on without it; a one-shot sync reports it on its own line
                LOG.error("workspace {}: not synced, its warehouse did not open: {}", name, e.getMessage());
            }
            leftOut.put(name, e.getMessage());
        });
        // one workspace: ready while its warehouse answers and its last sync was not refused; many: while the
        // warehouse answers and any workspace's credentials are accepted
        named.put("clariReadiness", warehouses.implicit() ? new ReadinessCheck(readiness.get(0).warehouse(), syncRun::lastOutcome)
                : new ReadinessCheck(readiness, leftOut));
        // the service and the demo keep the dashboard current; a one-shot sync refreshes the views only
        boolean dashboard = "run".equals(command) || "demo".equals(command);
        named.put("analytics", new AnalyticsRefresh(dashboard ? Path.of(settings.reportOut()) : null));
    }

    /** The beans by the names the routes use; bind each once. */
    public Map<String, Object> named() {
        return java.util.Collections.unmodifiableMap(named);
    }

    /**
     * Adds an account: its limits shared by group, its readiness, its syncs (started by sending to
     * {@code direct:clari-sync} with the header {@value dev.clarisync.routes.ExchangeProperties#ACCOUNT_HEADER}). Returns the beans to bind for it: its
     * HTTP client (its base URL's credentials and timeout), by the name the clari-api route uses.
     */
    public Map<String, Object> add(Account account) {
        ConnectorSettings s = account.settings();
        ConnectorMetrics counted = account.metrics() != null ? account.metrics() : metrics;
        account.shareLimits(limitGroups);
        ClariHttpClient client = new ClariHttpClient(s.apiKey(), s.apiPassword(), s.apiTimeout(), s.apiProxy(), account::onRequest,
                counted::response);
        readiness.add(new ReadinessCheck.Target(account.id(), account.warehouse(), account::lastOutcome));
        AnalyticsRefresh.attach(account.warehouse());
        syncRun.add(account);
        return Map.of(account.httpClient(), client);
    }

    /**
     * A new account with its own metrics: unlabelled for the single workspace ({@link Account#DEFAULT}), labelled
     * {@code workspace=<id>} for a named one.
     */
    private Account newAccount(String id, ConnectorSettings settings, Warehouse warehouse) {
        Account[] account = new Account[1];
        ConnectorMetrics m = new ConnectorMetrics(meters, Account.DEFAULT.equals(id) ? null : id,
                () -> Math.max(0, account[0].budget().remaining()), new LastKnown(() -> account[0].backlog().size()),
                new LastKnown(() -> account[0].warehouse().count("_schema_changes")));
        account[0] = new Account(id, settings, warehouse, m, clock);
        if (metrics == null) {
            metrics = m;
        }
        return account[0];
    }

    /** The accounts' ids (workspace names), in the order they were added. */
    public List<String> accounts() {
        return readiness.stream().map(ReadinessCheck.Target::name).toList();
    }

    /** The accounts' warehouses, in the order they were added. */
    public List<Warehouse> warehouses() {
        return readiness.stream().map(ReadinessCheck.Target::warehouse).toList();
    }

    public SyncRun syncRun() {
        return syncRun;
    }

    public Clock clock() {
        return clock;
    }

    /** Stops the pools (the warehouses belong to whoever opened them). */
    @Override
    public void close() {
        workspacesPool.shutdownNow();
        detailsPool.shutdownNow();
    }
}
