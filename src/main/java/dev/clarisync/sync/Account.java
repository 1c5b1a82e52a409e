package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.api.ClariRateLimiter;
import dev.clarisync.api.LimitGroups;
import dev.clarisync.api.PageSizePolicy;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.ops.ConnectorMetrics;
import dev.clarisync.warehouse.RejectedRecordsStore;
import dev.clarisync.warehouse.Warehouse;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Clari workspace the process syncs: its settings (base URL, credentials, limits, streams), its
 * warehouse and the stores in it (details backlog, request ledger), and the name of its HTTP client in
 * the Camel registry (credentials live there, at the client level, never in a message). A sync of an
 * account is a {@link RunContext}; at most one runs per account at a time, and accounts run
 * independently of each other.
 */
public final class Account {
    private static final Logger LOG = LoggerFactory.getLogger(Account.class);
    /** The account of a single-workspace process. */
    public static final String DEFAULT = "default";

    private final String id;
    private final ConnectorSettings settings;
    private final Warehouse warehouse;
    private final DetailsBacklog backlog;
    private final RejectedRecordsStore rejected;
    private final RequestBudget budget;
    /** The limit this account's requests count against: its own, or one it shares ({@link LimitGroups}). */
    private volatile LimitGroups.Membership limits;
    private final PageSizePolicy pageSizes;
    private final ConnectorMetrics metrics;
    private final Clock clock;
    private final List<StreamSpec> streams;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicReference<RunContext> active = new AtomicReference<>();
    private volatile SyncOutcome lastOutcome;
    private volatile CommittedRecords committed = CommittedRecords.NONE;
    /** Runs skipped while readers held the warehouse file, to record in {@code _sync_runs} once it opens. */
    private final List<SkippedRun> skipped = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A scheduled run that did not start because the warehouse file stayed in use ({@code clari.sync.lock-wait}). */
    record SkippedRun(String runId, java.time.Instant startedAt, java.time.Instant endedAt, String message) {
    }

    /** @param metrics where this account's counts are published; null for none */
    public Account(String id, ConnectorSettings settings, Warehouse warehouse, ConnectorMetrics metrics, Clock clock) {
        this.id = id;
        this.settings = settings;
        this.warehouse = warehouse;
        this.clock = clock;
        this.metrics = metrics;
        warehouse.useClock(clock);
        warehouse.keepHistory(dev.clarisync.config.HistoryStreams.of(settings));
        this.backlog = new DetailsBacklog(warehouse);
        this.rejected = new RejectedRecordsStore(warehouse);
        this.budget = new RequestBudget(settings, warehouse, clock);
        // its own limiter until the process places it (shareLimits); its own page size always
        this.limits = LimitGroups.alone(id, settings);
        this.pageSizes = PageSizePolicy.from(settings);
        this.streams = StreamCatalog.all(settings);
        if (metrics != null) {
            StreamCatalog.primeMetrics(metrics, streams);
        }
    }

    public String id() {
        return id;
    }

    public ConnectorSettings settings() {
        return settings;
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    public DetailsBacklog backlog() {
        return backlog;
    }

    /** Records set aside because they could not be read or stored ({@code _rejected_records}). */
    public RejectedRecordsStore rejected() {
        return rejected;
    }

    public RequestBudget budget() {
        return budget;
    }

    public ConnectorMetrics metrics() {
        return metrics;
    }

    public Clock clock() {
        return clock;
    }

    /** Every stream of the catalog (configured or not): children are found among them. */
    public List<StreamSpec> catalog() {
        return streams;
    }

    /** The API root of this account, e.g. {@code https://rest-api.copilot.clari.com}. */
    public String baseUrl() {
        return settings.apiBaseUrl().toString();
    }

    /** Registry name of this account's {@link dev.clarisync.api.ClariHttpClient} (the clari-api route's {@code toD} refers to it). */
    public String httpClient() {
        return "clariHttpClient-" + id;
    }

    /**
     * This account's rate limiter, shared by its streams, parallel fetches and retries, and by the accounts it shares
     * its limit with ({@link LimitGroups}).
     */
    public ClariRateLimiter limiter() {
        return limits.limiter();
    }

    /** Places this account among the process's limit groups: from now on it uses the limiter of its group. */
    public void shareLimits(LimitGroups groups) {
        this.limits = groups.join(id, settings);
    }

    /** What this account shares its rate limit by (a declared group, the same credentials, found out), or null. */
    public String limitGroup() {
        return limits.group();
    }

    /** This account's {@code /calls} page size, which backs off while large pages fail. */
    public PageSizePolicy pageSizes() {
        return pageSizes;
    }

    /** Claims the account for a run; false while another run of it is in progress. */
    boolean claim() {
        return running.compareAndSet(false, true);
    }

    void release() {
        active.set(null);
        running.set(false);
    }

    void activate(RunContext run) {
        active.set(run);
    }

    /**
     * Called by the account's HTTP client for each request it puts on the wire (retries included): counted by path
     * for the run's summary. The week's budget counted it already, as it left the limiter ({@link RunContext#sending}).
     */
    public void onRequest(String path) {
        RunContext run = active.get();
        if (run != null) {
            run.stats().request(path);
        }
    }

    void skipped(SkippedRun run) {
        skipped.add(run);
    }

    /** The skipped runs not yet recorded; taken, so each is written once. */
    List<SkippedRun> takeSkipped() {
        List<SkippedRun> out = List.copyOf(skipped);
        skipped.removeAll(out);
        return out;
    }

    /** Who hears of this account's records once they are committed (the Kamelet's source); replaces the previous one. */
    public void onCommitted(CommittedRecords listener) {
        this.committed = listener == null ? CommittedRecords.NONE : listener;
    }

    /** Tells the listener of {@code records} of {@code stream}, just committed; its failure is logged, not thrown. */
    void committed(String stream, List<JsonNode> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            committed.committed(stream, records);
        } catch (RuntimeException e) {
            LOG.warn("{}: the listener of committed records failed: {}", stream, e.toString());
        }
    }

    /** How the last sync of this account ended; null before the first. */
    public SyncOutcome lastOutcome() {
        return lastOutcome;
    }

    void lastOutcome(SyncOutcome outcome) {
        this.lastOutcome = outcome;
    }
}
