package dev.clarisync.sync;

import dev.clarisync.api.ApiCall;
import dev.clarisync.api.ApiFailure;
import dev.clarisync.ops.Plural;
import dev.clarisync.routes.ExchangeProperties;
import dev.clarisync.warehouse.BusyWait;
import dev.clarisync.warehouse.Warehouse;
import dev.clarisync.warehouse.WarehouseBusyException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Begins and ends syncs. The {@code clari-sync} route calls {@link #tryBegin}, which creates the
 * run's {@link RunContext} and puts it on the exchange; then, for each configured stream,
 * {@link #nextStream}; then {@link #succeeded} or {@link #failed}, whose outcome becomes the body.
 * Holds the process's accounts, never a run: the run travels with its exchange.
 */
public final class SyncRun {
    private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final String command;

    /** @param command the command recorded in {@code _sync_runs} (sync, run, demo) */
    public SyncRun(String command) {
        this.command = command;
    }

    public void add(Account account) {
        if (accounts.putIfAbsent(account.id(), account) != null) {
            throw new IllegalArgumentException("account " + account.id() + " is already registered");
        }
    }

    public Account account(String id) {
        Account a = accounts.get(id);
        if (a == null) {
            throw new IllegalArgumentException("no account '" + id + "' (known: " + accounts.keySet() + ")");
        }
        return a;
    }

    /**
     * Starts a run of the exchange's account unless one is in progress (a schedule firing during a long
     * sync): false means skip this trigger. On true, the exchange carries the new {@link RunContext}.
     */
    public boolean tryBegin(Exchange exchange) {
        Account account = account(exchange.getMessage().getHeader(ExchangeProperties.ACCOUNT_HEADER, Account.DEFAULT, String.class));
        if (!account.claim()) {
            LOG.warn("a sync of account {} is still running; this trigger is skipped", account.id());
            return false;
        }
        Warehouse.Hold hold;
        try {
            hold = holdWarehouse(account, exchange);
        } catch (RuntimeException e) {
            account.release();
            throw e;
        }
        if (hold == null) {
            account.release();
            return false;
        }
        String runId = UUID.randomUUID().toString();
        Instant startedAt = account.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        RunContext run = new RunContext(account, runId, startedAt, command, StreamCatalog.configured(account.settings()));
        MDC.put("runId", runId.substring(0, 8));
        try {
            recordSkipped(account);
            account.warehouse().runLog().startRun(runId, command, startedAt);
            account.budget().begin();
            run.progress(ProgressReporter.start(run.stats(), account.backlog()::newestOwed, "sync".equals(command), account.settings().progressEvery()));
        } catch (RuntimeException e) {
            hold.close();
            account.release();
            MDC.remove("runId");
            throw e;
        }
        account.activate(run);
        exchange.setProperty(ExchangeProperties.WAREHOUSE_HOLD, hold);
        exchange.setProperty(ExchangeProperties.RUN, run);
        exchange.setProperty(ExchangeProperties.WAREHOUSE, account.warehouse());
        LOG.info("sync {} started: streams {}, up to {}", runId, String.join(",", account.settings().streams()), startedAt);
        return true;
    }

    /**
     * Opens the account's warehouse for this run ({@link Warehouse#hold}). In {@code run} mode a DuckDB file is
     * released between syncs; if a reader has it now, this waits, with one log line, for up to
     * {@code clari.sync.lock-wait}. Null: the run does not start, because the wait ran out (a skipped run, counted
     * and recorded in {@code _sync_runs} by the next run that opens the file) or the service is shutting down.
     */
    private Warehouse.Hold holdWarehouse(Account account, Exchange exchange) {
        Warehouse warehouse = account.warehouse();
        java.time.Duration wait = account.settings().lockWait();
        org.apache.camel.CamelContext context = exchange.getContext();
        Instant since = account.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        try {
            Warehouse.Hold hold = BusyWait.retry(warehouse::hold, wait, () -> context.isStopping() || context.isStopped(),
                    busy -> LOG.warn("waiting for readers to close the warehouse file ({}); retrying for up to {}",
                            busy.getMessage(), wait));
            if (hold == null) {
                LOG.info("the service is stopping: the sync of account {} does not start", account.id());
            }
            return hold;
        } catch (WarehouseBusyException e) {
            String message = "skipped: the warehouse file stayed in use for all of clari.sync.lock-wait (" + wait + "): "
                    + e.getMessage();
            LOG.warn("sync of account {} {}; the next schedule tries again", account.id(), message);
            account.skipped(new Account.SkippedRun(UUID.randomUUID().toString(), since,
                    account.clock().instant().truncatedTo(ChronoUnit.MILLIS), message));
            if (account.metrics() != null) {
                account.metrics().runSkipped();
            }
            return null;
        }
    }

    /** Writes the runs skipped since the file was last open into {@code _sync_runs} (outcome {@code skipped}). */
    private void recordSkipped(Account account) {
        for (Account.SkippedRun s : account.takeSkipped()) {
            account.warehouse().runLog().startRun(s.runId(), command, s.startedAt());
            account.warehouse().runLog().finishRun(s.runId(), "skipped", s.message(), Map.of(), 0, 0, 0, 0, s.endedAt());
        }
    }

    /**
     * The last step of {@code clari-sync}, after the outcome and the analytics refresh: lets go of the run's hold on
     * the warehouse (in {@code run} mode the DuckDB file is then closed, and readers can open it).
     */
    public void releaseWarehouse(Exchange exchange) {
        Warehouse.Hold hold = exchange.getProperty(ExchangeProperties.WAREHOUSE_HOLD, Warehouse.Hold.class);
        if (hold != null) {
            exchange.removeProperty(ExchangeProperties.WAREHOUSE_HOLD);
            hold.close();
        }
    }

    /**
     * A context for one request of the {@code check} command (no run recorded): the request the exchange names
     * ({@value ExchangeProperties#PATH}, {@value ExchangeProperties#QUERY}), by default {@code GET /calls?limit=1}.
     */
    public void probe(Exchange exchange) {
        Account account = account(exchange.getMessage().getHeader(ExchangeProperties.ACCOUNT_HEADER, Account.DEFAULT, String.class));
        exchange.setProperty(ExchangeProperties.RUN, RunContext.probe(account));
        if (exchange.getProperty(ExchangeProperties.PATH) == null) {
            exchange.setProperty(ExchangeProperties.PATH, "/calls");
            exchange.setProperty(ExchangeProperties.QUERY, "limit=1");
        }
    }

    /** How many streams the run syncs (the clari-sync loop's count). */
    public int streamCount(@ExchangeProperty(ExchangeProperties.RUN) RunContext run) {
        return run.streams().size();
    }

    /** Puts the loop's next stream on the exchange ({@value ExchangeProperties#SPEC}). */
    public StreamSpec nextStream(@ExchangeProperty(ExchangeProperties.RUN) RunContext run,
                                 @ExchangeProperty(Exchange.LOOP_INDEX) int index, Exchange exchange) {
        StreamSpec spec = run.streams().get(index);
        exchange.setProperty(ExchangeProperties.SPEC, spec);
        return spec;
    }

    /**
     * {@code clari-sync}'s catch around one stream (a predicate): whether the failure is the stream's endpoint answering
     * that this account cannot read it ({@link StreamSpec#unavailableOn}: a 403 or 404 where the stream declares a
     * feature, after Clari accepted the run's credentials elsewhere). Anything else ends the run as before.
     */
    public boolean unavailable(@ExchangeProperty(ExchangeProperties.RUN) RunContext run, @ExchangeProperty(ExchangeProperties.SPEC) StreamSpec spec,
                               Exchange exchange) {
        HttpOperationFailedException http = httpFailure(exchange);
        return http != null && spec.unavailableOn(http.getStatusCode(), run.credentialsWereAccepted());
    }

    /** Skips the stream {@link #unavailable} caught: one warning naming it and Clari's answer; the run goes on. */
    public void skipStream(@ExchangeProperty(ExchangeProperties.RUN) RunContext run, @ExchangeProperty(ExchangeProperties.SPEC) StreamSpec spec,
                           Exchange exchange) {
        HttpOperationFailedException http = httpFailure(exchange);
        String answer = http == null ? "unavailable" : ApiFailure.answer(http);
        run.unavailable(spec.name(), answer);
        LOG.warn("{}: skipped: this account cannot read {} (Clari answered {}), though it accepted the credentials on other "
                + "endpoints (a feature the account does not have?); the other streams sync, and the next run asks again",
                spec.name(), spec.path(), answer);
    }

    /** The HTTP failure being caught: still the exchange's exception while a catch is chosen, then the caught one. */
    private static HttpOperationFailedException httpFailure(Exchange exchange) {
        Throwable t = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        for (Throwable cur = t; cur != null; cur = cur.getCause() == cur ? null : cur.getCause()) {
            if (cur instanceof HttpOperationFailedException http) {
                return http;
            }
        }
        return null;
    }

    /** How the last sync of the default account ended; null before the first. */
    public SyncOutcome lastOutcome() {
        Account a = accounts.get(Account.DEFAULT);
        return a == null ? null : a.lastOutcome();
    }

    public SyncOutcome succeeded(@ExchangeProperty(ExchangeProperties.RUN) RunContext run) {
        return end(run, OutcomeKind.OK, "ok", null);
    }

    /** Records the failure the route caught; the run's committed pages stay, no cursor moved past unwritten data. */
    public SyncOutcome failed(@ExchangeProperty(ExchangeProperties.RUN) RunContext run, Exchange exchange) {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Failure f = Failure.of(t, run.account().id());
        LOG.debug("sync {} failed", run.runId(), t);
        SyncOutcome outcome = end(run, f.kind(), f.message(), f);
        exchange.setProperty(ExchangeProperties.ROWS_WRITTEN, outcome.totalRows());
        return outcome;
    }

    private SyncOutcome end(RunContext run, OutcomeKind kind, String message, Failure failure) {
        Account account = run.account();
        RunStats stats = run.stats();
        Instant ended = run.now();
        Duration took = Duration.between(run.startedAt(), ended);
        Map<String, Long> cleaned = run.textCleaned();
        Map<String, String> unavailable = run.unavailable();
        if (failure == null && !unavailable.isEmpty()) {
            // _sync_runs, the readiness detail and the service's log say which streams this account cannot read
            message = message + "; " + unavailable.entrySet().stream().map(e -> e.getKey() + " unavailable (" + e.getValue() + ")")
                    .collect(Collectors.joining(", "));
        }
        SyncOutcome outcome = new SyncOutcome(run.runId(), kind, message, stats.rows(), stats.requests(), stats.retries(),
                stats.callsSeen(), stats.callsChanged(), stats.setAside(), took, cleaned, unavailable);
        run.closeProgress();
        try {
            account.budget().flush();
        } catch (RuntimeException e) {
            LOG.warn("could not record this run's requests in the ledger: {}", e.getMessage());
        }
        try {
            account.warehouse().runLog().finishRun(run.runId(), failure == null ? "succeeded" : "failed", message, stats.rows(),
                    stats.requests(), stats.retries(), stats.detailsNotFound(), stats.rejected(), ended);
        } catch (RuntimeException e) {
            LOG.warn("could not record the end of sync {} in _sync_runs: {}", run.runId(), e.getMessage());
        } finally {
            account.lastOutcome(outcome);
            if (account.metrics() != null) {
                account.metrics().textCleaned(cleaned);
                for (StreamSpec spec : run.streams()) {
                    // a failed run only knows about the streams it skipped; a successful one read all the others
                    if (unavailable.containsKey(spec.name()) || failure == null) {
                        account.metrics().streamAvailable(spec.name(), !unavailable.containsKey(spec.name()));
                    }
                }
                account.metrics().runEnded(failure == null, took);
                StreamSpec headline = StreamCatalog.headline(account.catalog());
                String cursor = headline == null ? null : account.warehouse().readState(headline.name()).get(StreamCatalog.CURSOR);
                if (cursor != null) {
                    account.metrics().cursor(Instant.parse(cursor));
                }
            }
            account.release();
            MDC.remove("runId");
        }
        String rows = outcome.rowsPerTable().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        if (failure == null) {
            LOG.info("sync {} succeeded in {} s: {} seen, {} new or changed; {} ({}), {}; rows written: {}", // firsthour #18: plurals
                    run.runId(), took.toMillis() / 1000.0, Plural.of(stats.callsSeen(), "call"), stats.callsChanged(),
                    Plural.of(stats.requests(), "request"), stats.requestsByPath(), Plural.of(stats.retries(), "retry"),
                    rows.isEmpty() ? "none (nothing changed)" : rows);
        } else {
            // firsthour #18: one failure message per run. A one-shot command prints the reason itself (Launcher's
            // "error:" line); only the service, which has no such line, logs it as an error.
            if ("run".equals(run.command())) {
                LOG.error("sync {} failed after {} s: {}", run.runId(), took.toMillis() / 1000.0, message);
            } else {
                LOG.info("sync {} failed after {} s ({})", run.runId(), took.toMillis() / 1000.0, kind);
            }
        }
        if (!cleaned.isEmpty()) {
            // the warehouse cannot hold these characters: say once per run what was changed, and where
            LOG.info("text clean-up ({}): {} changed ({})", account.warehouse().dialect().textRule().describe(),
                    Plural.of(outcome.totalTextCleaned(), "text value"), cleaned.entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        }
        LOG.info("weekly request budget: {} of {} used, {} left before the reserve", account.budget().used(),
                account.settings().weeklyQuota(), Math.max(0, account.budget().remaining()));
        return outcome;
    }
}
