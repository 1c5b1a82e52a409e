package dev.clarisync.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The connector's domain metrics, on the same Micrometer registry Camel exposes at
 * {@code /observe/metrics} (Prometheus names in brackets):
 * <ul>
 *   <li>{@code clari_sync_runs_total{outcome}} (succeeded, failed, skipped: readers kept the DuckDB file past
 *       {@code clari.sync.lock-wait}), {@code clari_sync_last_success_timestamp_seconds},
 *       {@code clari_sync_last_duration_seconds}</li>
 *   <li>{@code clari_rows_written_total{table}}, {@code clari_calls_seen_total}, {@code clari_calls_changed_total},
 *       {@code clari_text_values_cleaned_total{table}}</li>
 *   <li>{@code clari_stream_available{stream}} (1 read, 0 skipped: the account cannot read it), from the first run</li>
 *   <li>{@code clari_api_requests_total{endpoint,status}}, {@code clari_api_retries_total}</li>
 *   <li>{@code clari_cursor_lag_seconds} (now minus the calls cursor), {@code clari_quota_remaining_requests},
 *       {@code clari_details_backlog_calls}, {@code clari_schema_changes}</li>
 * </ul>
 * Nothing here ever carries a credential: tags are table names, endpoint paths and status codes. With
 * {@code clari.workspaces} each workspace has its own instance and every meter carries its {@code workspace} label
 * (a process of one workspace has none, exactly as before; Prometheus wants one label set per name, so never both).
 *
 * <p>The gauges read the system clock, not the connector's injected one, on purpose: they are not data the
 * connector writes, and Prometheus compares "last success" and "cursor lag" with real time.
 */
public final class ConnectorMetrics {
    private final MeterRegistry registry;
    /** {@code workspace=<name>}, or no tag for the single workspace. */
    private final Tags common;
    private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();
    private final AtomicLong lastDurationMillis = new AtomicLong();
    private final AtomicReference<Instant> cursor = new AtomicReference<>();
    private final Map<String, AtomicLong> streamAvailable = new java.util.concurrent.ConcurrentHashMap<>();

    public ConnectorMetrics(MeterRegistry registry, LongSupplier quotaRemaining, LongSupplier backlog, LongSupplier schemaChanges) {
        this(registry, null, quotaRemaining, backlog, schemaChanges);
    }

    /** @param workspace the {@code workspace} label of every meter; null for none (one workspace) */
    public ConnectorMetrics(MeterRegistry registry, String workspace, LongSupplier quotaRemaining, LongSupplier backlog,
                            LongSupplier schemaChanges) {
        this.registry = registry;
        this.common = workspace == null ? Tags.empty() : Tags.of("workspace", workspace);
        Gauge.builder("clari.sync.last.success.timestamp", lastSuccessEpochSeconds, AtomicLong::get).baseUnit("seconds")
                .description("When the last sync succeeded (Unix time)").tags(common).register(registry);
        Gauge.builder("clari.sync.last.duration", lastDurationMillis, v -> v.get() / 1000.0).baseUnit("seconds")
                .description("Duration of the last sync").tags(common).register(registry);
        Gauge.builder("clari.cursor.lag", cursor, c -> c.get() == null ? Double.NaN
                : Duration.between(c.get(), Instant.now()).toMillis() / 1000.0).baseUnit("seconds")
                .description("Now minus the calls cursor: how far behind Clari the warehouse may be").tags(common).register(registry);
        Gauge.builder("clari.quota.remaining", () -> quotaRemaining.getAsLong()).baseUnit("requests")
                .description("Requests left this week before the reserve (clari.api.quota-margin)").tags(common).register(registry);
        Gauge.builder("clari.details.backlog", () -> backlog.getAsLong()).baseUnit("calls")
                .description("Calls owed a /call-details fetch").tags(common).register(registry);
        Gauge.builder("clari.schema.changes", () -> schemaChanges.getAsLong())
                .description("Schema changes recorded in _schema_changes").tags(common).register(registry);
        // every documented metric is in the first scrape, at 0, not only after its first event
        retries();
        calls("seen");
        calls("changed");
        for (String outcome : new String[] {"succeeded", "failed", "skipped"}) {
            runs(outcome);
        }
    }

    /**
     * Puts the per-table and per-endpoint series of these streams in the first scrape, at 0, like every other documented
     * metric: the streams the catalog declares primed ({@code StreamSpec.Reporting}); {@code sync.Account} calls this
     * when it is made, before any scrape. Others appear once they are written or asked.
     */
    public void primeStreams(Collection<String> tables, Collection<String> endpoints) {
        for (String table : tables) {
            rows(table);
            cleaned(table);
        }
        for (String endpoint : endpoints) {
            requests(endpoint, "200");
        }
    }

    private Counter retries() {
        return Counter.builder("clari.api.retries").description("Retry decisions: failed requests that were sent again")
                .tags(common).register(registry);
    }

    private Counter calls(String what) {
        return Counter.builder("clari.calls." + what).description("seen".equals(what)
                ? "Calls read from /calls (including unchanged ones)" : "Calls that were new or changed, and written")
                .tags(common).register(registry);
    }

    private Counter runs(String outcome) {
        return Counter.builder("clari.sync.runs").tag("outcome", outcome).description("Syncs by outcome").tags(common).register(registry);
    }

    private Counter rows(String table) {
        return Counter.builder("clari.rows.written").tag("table", table).description("Rows written per table").tags(common).register(registry);
    }

    private Counter cleaned(String table) {
        return Counter.builder("clari.text.values.cleaned").tag("table", table)
                .description("Text values changed by the warehouse's clean-up rule before they were stored (PostgreSQL: NUL "
                        + "removed; every warehouse: unpaired surrogates replaced by U+FFFD), per table").tags(common).register(registry);
    }

    private Counter requests(String endpoint, String status) {
        return Counter.builder("clari.api.requests").tag("endpoint", endpoint).tag("status", status)
                .description("Requests to Clari by endpoint and HTTP status").tags(common).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void rowsWritten(Map<String, Long> perTable) {
        perTable.forEach((table, n) -> rows(table).increment(n));
    }

    /** Text values a run had cleaned, per table. */
    public void textCleaned(Map<String, Long> perTable) {
        perTable.forEach((table, n) -> cleaned(table).increment(n));
    }

    /** Whether the account could read {@code stream} in the last run that reached it (1) or not (0: skipped). */
    public void streamAvailable(String stream, boolean available) {
        streamAvailable.computeIfAbsent(stream, s -> {
            AtomicLong v = new AtomicLong(1);
            Gauge.builder("clari.stream.available", v, AtomicLong::get).tag("stream", s)
                    .description("1 when the last sync read the stream, 0 when the account cannot read it (Clari answered 403 or "
                            + "404 on its endpoint: a feature the account lacks) and it was skipped").tags(common).register(registry);
            return v;
        }).set(available ? 1 : 0);
    }

    public void response(String path, int status) {
        int q = path.indexOf('?');
        requests(q < 0 ? path : path.substring(0, q), Integer.toString(status)).increment();
    }

    public void retry() {
        retries().increment();
    }

    /** Records of {@code stream} set aside ({@code _rejected_records}): an answer or value that cannot be read or stored. */
    public void recordsRejected(String stream, long n) {
        Counter.builder("clari.records.rejected").tag("stream", stream)
                .description("Records set aside because they could not be read or stored as they are (see _rejected_records)")
                .tags(common).register(registry).increment(n);
    }

    public void callsSeen(long n) {
        calls("seen").increment(n);
    }

    public void callsChanged(long n) {
        calls("changed").increment(n);
    }

    public void cursor(Instant at) {
        cursor.set(at);
    }

    /** A scheduled sync that did not start: readers kept the warehouse file for all of {@code clari.sync.lock-wait}. */
    public void runSkipped() {
        runs("skipped").increment();
    }

    public void runEnded(boolean success, Duration took) {
        runs(success ? "succeeded" : "failed").increment();
        lastDurationMillis.set(took.toMillis());
        if (success) {
            lastSuccessEpochSeconds.set(Instant.now().getEpochSecond());
        }
    }
}
