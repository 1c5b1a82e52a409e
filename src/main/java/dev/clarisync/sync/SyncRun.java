package dev.clarisync.sync;

import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.ops.Plural;
import dev.clarisync.warehouse.Warehouse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One sync at a time: its id, its frozen start instant (every stream's upper bound), its counters,
 * and its row in {@code _sync_runs}. The {@code clari-sync} route calls {@link #tryBegin}, then the
 * streams, then {@link #succeeded} or {@link #failed}; the outcome becomes the exchange body.
 */
public final class SyncRun {
    private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);

    private final ConnectorSettings settings;
    private final Warehouse warehouse;
    private final RunStats stats;
    private final RequestBudget budget;
    private final dev.clarisync.ops.ConnectorMetrics metrics;
    private final Clock clock;
    private volatile SyncOutcome lastOutcome;
    private dev.clarisync.ops.ProgressReporter progress;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile String runId;
    private volatile Instant startedAt;
    private volatile String command = "sync";

    public SyncRun(ConnectorSettings settings, Warehouse warehouse, RunStats stats, RequestBudget budget,
                   dev.clarisync.ops.ConnectorMetrics metrics, Clock clock) {
        this.settings = settings;
        this.warehouse = warehouse;
        this.stats = stats;
        this.budget = budget;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Names the command recorded in {@code _sync_runs} (sync, run, demo). */
    public void command(String command) {
        this.command = command;
    }

    /** Starts a run unless one is in progress (a schedule firing during a long sync); false means skip this trigger. */
    public boolean tryBegin() {
        if (!running.compareAndSet(false, true)) {
            LOG.warn("a sync is still running; this trigger is skipped");
            return false;
        }
        runId = UUID.randomUUID().toString();
        startedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        stats.reset();
        MDC.put("runId", runId.substring(0, 8));
        try {
            warehouse.startRun(runId, command, startedAt);
            budget.begin();
            progress = dev.clarisync.ops.ProgressReporter.start(stats, "sync".equals(command), settings.progressEvery());
        } catch (RuntimeException e) {
            running.set(false);
            throw e;
        }
        LOG.info("sync {} started: streams {}, up to {}", runId, String.join(",", settings.streams()), startedAt);
        return true;
    }

    public boolean includes(String stream) {
        return settings.streams().contains(stream);
    }

    public String runId() {
        return runId;
    }

    /** The instant the run froze as every stream's upper bound. */
    public Instant startedAt() {
        return startedAt;
    }

    /** How the last sync of this process ended; null before the first. */
    public SyncOutcome lastOutcome() {
        return lastOutcome;
    }

    public RunStats stats() {
        return stats;
    }

    public SyncOutcome succeeded() {
        return end(ExitCodes.OK, "ok", null);
    }

    /** Records the failure the route caught; the run's committed pages stay, no cursor moved past unwritten data. */
    public SyncOutcome failed(Exchange exchange) {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        RunFailure f = RunFailure.of(t);
        LOG.debug("sync {} failed", runId, t);
        return end(f.exitCode(), f.message(), f);
    }

    private SyncOutcome end(int exitCode, String message, RunFailure failure) {
        Instant ended = clock.instant();
        Duration took = Duration.between(startedAt, ended);
        SyncOutcome outcome = new SyncOutcome(runId, exitCode, message, stats.rows(), stats.requests(), stats.retries(),
                stats.callsSeen(), stats.callsChanged(), took);
        if (progress != null) {
            progress.close();
        }
        try {
            budget.flush();
        } catch (RuntimeException e) {
            LOG.warn("could not record this run's requests in the ledger: {}", e.getMessage());
        }
        try {
            warehouse.finishRun(runId, failure == null ? "succeeded" : "failed", message, stats.rows(), stats.requests(),
                    stats.retries(), stats.detailsNotFound(), stats.rejected(), ended);
        } catch (RuntimeException e) {
            LOG.warn("could not record the end of sync {} in _sync_runs: {}", runId, e.getMessage());
        } finally {
            lastOutcome = outcome;
            metrics.runEnded(failure == null, took);
            String cursor = warehouse.readState(CallsStream.STREAM).get(CallsStream.CURSOR);
            if (cursor != null) {
                metrics.cursor(Instant.parse(cursor));
            }
            running.set(false);
            MDC.remove("runId");
        }
        String rows = outcome.rowsPerTable().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        if (failure == null) {
            LOG.info("sync {} succeeded in {} s: {} seen, {} new or changed; {} ({}), {}; rows written: {}", // firsthour #18: plurals
                    runId, took.toMillis() / 1000.0, Plural.of(stats.callsSeen(), "call"), stats.callsChanged(),
                    Plural.of(stats.requests(), "request"), stats.requestsByPath(), Plural.of(stats.retries(), "retry"),
                    rows.isEmpty() ? "none (nothing changed)" : rows);
        } else {
            // firsthour #18: one failure message per run. A one-shot command prints the reason itself (Launcher's
            // "error:" line); only the service, which has no such line, logs it as an error.
            if ("run".equals(command)) {
                LOG.error("sync {} failed after {} s: {}", runId, took.toMillis() / 1000.0, message);
            } else {
                LOG.info("sync {} failed after {} s (exit {})", runId, took.toMillis() / 1000.0, exitCode);
            }
        }
        LOG.info("weekly request budget: {} of {} used, {} left before the reserve", budget.used(), settings.weeklyQuota(),
                Math.max(0, budget.remaining()));
        return outcome;
    }
}
