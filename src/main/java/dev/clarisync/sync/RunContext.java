package dev.clarisync.sync;

import dev.clarisync.api.ApiCall;
import dev.clarisync.api.ApiTarget;
import dev.clarisync.api.ClariRateLimiter;
import dev.clarisync.api.PageSizePolicy;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.routes.ExchangeProperties;
import dev.clarisync.warehouse.Warehouse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Exchange;

/**
 * One sync of one {@link Account}: created by {@link SyncRun#tryBegin} at the start of the
 * {@code clari-sync} route and carried on the exchange as the property {@value ExchangeProperties#RUN}; every
 * stream step takes it explicitly. It holds what belongs to this run only — its id, its frozen start
 * instant (every stream's upper bound), its counters, the streams it runs, and the details in
 * flight (so a failing run can still write what its batches fetched) — and reaches the account's
 * settings, warehouse, backlog and request budget. The engine's beans keep no run state of their own,
 * so runs of different accounts can share a process.
 */
public final class RunContext implements ApiTarget {

    private final Account account;
    private final String runId;
    private final Instant startedAt;
    private final String command;
    private final RunStats stats;
    private final List<StreamSpec> streams;
    private final AtomicReference<OwedDetails> details = new AtomicReference<>();
    private volatile AutoCloseable progress;
    /** The warehouse's count of cleaned text values when the run began: the run's own is the difference. */
    private final java.util.Map<String, Long> textCleanedBefore;
    private final java.util.concurrent.atomic.AtomicBoolean credentialsAccepted = new java.util.concurrent.atomic.AtomicBoolean();
    /** Streams skipped because the account cannot read them → Clari's answer, in run order. */
    private final java.util.Map<String, String> unavailable = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    private RunPrivacy privacy;

    RunContext(Account account, String runId, Instant startedAt, String command, List<StreamSpec> streams) {
        this.account = account;
        this.runId = runId;
        this.startedAt = startedAt;
        this.command = command;
        this.streams = streams;
        this.stats = new RunStats(account.metrics());
        this.textCleanedBefore = account.warehouse().textCleaned();
    }

    /** Text values this run's writes had cleaned by the warehouse's rule, per table (tables with none left out). */
    public java.util.Map<String, Long> textCleaned() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        account.warehouse().textCleaned().forEach((table, n) -> {
            long mine = n - textCleanedBefore.getOrDefault(table, 0L);
            if (mine > 0) {
                out.put(table, mine);
            }
        });
        return out;
    }

    /** A context for a single request outside a sync (the {@code check} command): no run is recorded. */
    public static RunContext probe(Account account) {
        return new RunContext(account, "check", account.clock().instant(), "check", List.of());
    }

    /** The run an exchange belongs to. */
    public static RunContext of(Exchange exchange) {
        RunContext run = exchange.getProperty(ExchangeProperties.RUN, RunContext.class);
        if (run == null) {
            throw new IllegalStateException("exchange " + exchange.getExchangeId() + " carries no " + ExchangeProperties.RUN
                    + " property: Clari requests run inside clari-sync (or after syncRun.probe)");
        }
        return run;
    }

    public Account account() {
        return account;
    }

    public ConnectorSettings settings() {
        return account.settings();
    }

    public Warehouse warehouse() {
        return account.warehouse();
    }

    public RequestBudget budget() {
        return account.budget();
    }

    public DetailsBacklog backlog() {
        return account.backlog();
    }

    public String runId() {
        return runId;
    }

    public String command() {
        return command;
    }

    /** The instant the run froze as every stream's upper bound. */
    public Instant startedAt() {
        return startedAt;
    }

    /** Now, from the account's clock (the one clock every write's timestamps come from). */
    public Instant now() {
        return account.clock().instant();
    }

    public RunStats stats() {
        return stats;
    }

    /** The configured streams this run syncs, in order. */
    public List<StreamSpec> streams() {
        return streams;
    }

    /** {@code clari-api}: base URL of the run's account. */
    @Override
    public String baseUrl() {
        return account.baseUrl();
    }

    /** {@code clari-api}: registry name of the run's account's HTTP client. */
    @Override
    public String httpClient() {
        return account.httpClient();
    }

    /** {@code clari-api}: the rate limiter of the run's account. */
    @Override
    public ClariRateLimiter limiter() {
        return account.limiter();
    }

    @Override
    public long maxAnswerBytes() {
        return account.settings().maxAnswerBytes();
    }

    /**
     * {@code clari-api}: a request leaves the limiter. It counts against the week's budget from now on, and a
     * per-parent part's reservation ends, in that order: counted at the wire instead, a batch taken in between saw the
     * request in neither and let one more out than the budget allowed (51 of 60).
     */
    @Override
    public void sending(Exchange exchange) {
        budget().onRequest();
        PerParentStream.sending(exchange);
    }

    /** {@code clari-api}: the page-size policy of the run's account. */
    @Override
    public PageSizePolicy pageSizes() {
        return account.pageSizes();
    }

    /** {@code clari-api}: Clari answered one of this run's requests with a 2xx. */
    @Override
    public void credentialsAccepted() {
        credentialsAccepted.set(true);
    }

    /** Whether Clari accepted this run's credentials on some request already. */
    public boolean credentialsWereAccepted() {
        return credentialsAccepted.get();
    }

    /** Records that the account cannot read {@code stream}: Clari's {@code answer} ({@code HTTP 403: Forbidden}). */
    void unavailable(String stream, String answer) {
        unavailable.put(stream, answer);
    }

    /** The streams this run skipped because the account cannot read them → Clari's answer, in run order. */
    public java.util.Map<String, String> unavailable() {
        synchronized (unavailable) {
            return new java.util.LinkedHashMap<>(unavailable);
        }
    }

    /**
     * The run's privacy and scope ({@link RunPrivacy}), begun on first use (the first stream's begin): a warehouse
     * written under other hashing settings fails the run there, as a configuration error.
     */
    public synchronized RunPrivacy privacy() {
        if (privacy == null) {
            privacy = RunPrivacy.begin(this);
        }
        return privacy;
    }

    /** The run's progress reporter, closed when the run ends. */
    void progress(AutoCloseable progress) {
        this.progress = progress;
    }

    void closeProgress() {
        AutoCloseable p = progress;
        progress = null;
        if (p != null) {
            try {
                p.close();
            } catch (Exception e) {
                // a progress line that cannot be finished is not worth failing the run's ending for
            }
        }
    }

    /** Registers the per-parent hand-out in progress: what {@link PerParentStream#salvage} settles on failure. */
    void details(OwedDetails owed) {
        details.set(owed);
    }

    OwedDetails takeDetails() {
        return details.getAndSet(null);
    }
}
