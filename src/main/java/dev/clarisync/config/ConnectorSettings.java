package dev.clarisync.config;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every setting the connector reads, typed and validated at start-up. A bad value fails with a
 * {@link SettingsException} naming the key. Secrets are {@link Secret}s and are left out of
 * {@link #camelProperties()}, so they never reach Camel's property logging or the routes.
 */
public record ConnectorSettings(
        URI apiBaseUrl,
        Secret apiKey,
        Secret apiPassword,
        int rateLimit,
        int rateWindowMillis,
        double rateMargin,
        long weeklyQuota,
        long quotaMargin,
        int pageSize,
        int maxSkip,
        Duration apiTimeout,
        int maxRetries,
        Duration retryDelay,
        Duration maxRetryDelay,
        Duration throttleDelay,
        Duration throttlePause,
        int throttlePersist,
        int pageSizeBackoffAfter,
        int pageSizeRecoverAfter,
        String rateLimitGroup,
        Instant startDate,
        String schedule,
        Duration lookback,
        Duration scorecardsLookback,
        Duration reconcileHorizon,
        Duration reconcileEvery,
        List<String> streams,
        boolean runOnStart,
        int maxRescans,
        Duration progressEvery,
        Duration lockWait,
        int detailsParallelism,
        int detailsMaxInFlight,
        int detailsBatchSize,
        String detailsMode,
        List<Duration> detailsRecheckAfter,
        long maxAnswerBytes,
        RejectionLimit maxRejected,
        List<String> historyStreams,
        String warehouseUrl,
        String warehouseUser,
        Secret warehousePassword,
        String warehouseSchema,
        int managementPort,
        String reportOut,
        boolean reportServe,
        String routesDir,
        Map<String, String> raw) {

    /** The streams a sync can run, in the order it runs them. */
    public static final List<String> ALL_STREAMS =
            List.of("users", "calls", "call_details", "scorecards", "scorecard_templates", "topics");

    /** Parses and validates; {@code needsCredentials} is false for commands that do not call the real API (demo). */
    public static ConnectorSettings from(Map<String, String> p, boolean needsCredentials) {
        Reader r = new Reader(p);
        URI base = r.uri("clari.api.base-url");
        Secret key = Secret.of(r.str("clari.api.key", ""));
        Secret password = Secret.of(r.str("clari.api.password", ""));
        if (needsCredentials) {
            if (key.isEmpty()) {
                throw new SettingsException("clari.api.key", "is required (Copilot: Workspace Settings → Integrations → Clari Copilot API)");
            }
            if (password.isEmpty()) {
                throw new SettingsException("clari.api.password", "is required (Copilot: Workspace Settings → Integrations → Clari Copilot API)");
            }
        }
        List<String> streams = r.list("clari.sync.streams");
        for (String s : streams) {
            if (!ALL_STREAMS.contains(s)) {
                throw new SettingsException("clari.sync.streams", "unknown stream '" + s + "' (known: " + String.join(",", ALL_STREAMS) + ")");
            }
        }
        String mode = r.str("clari.details.mode", "incremental");
        if (!mode.equals("incremental") && !mode.equals("full")) {
            throw new SettingsException("clari.details.mode", "must be 'incremental' or 'full', not '" + mode + "'");
        }
        String url = r.str("warehouse.url", "");
        if (!url.startsWith("jdbc:")) {
            throw new SettingsException("warehouse.url", "must be a JDBC URL such as jdbc:duckdb:./data/clari.duckdb, not '" + url + "'");
        }
        ApiProxy.resolve(base, p, System::getProperty); // a malformed proxy fails at start, naming its source
        String schedule = r.str("clari.sync.schedule", "");
        if (schedule.split("\\s+").length < 6) {
            throw new SettingsException("clari.sync.schedule", "must be a Quartz cron expression (6 or 7 fields, e.g. '0 0 */6 * * ?'), not '" + schedule + "'");
        }
        return new ConnectorSettings(
                base, key, password,
                r.positiveInt("clari.api.rate-limit"),
                r.intBetween("clari.api.rate-window-millis", 1000, 60_000),
                r.decimalBetween("clari.api.rate-margin", 0, 1),
                r.positiveLong("clari.api.weekly-quota"),
                r.nonNegativeLong("clari.api.quota-margin"),
                r.intBetween("clari.api.page-size", 1, 100),
                r.intBetween("clari.api.max-skip", 1, Integer.MAX_VALUE),
                r.duration("clari.api.timeout"),
                r.intBetween("clari.api.max-retries", 0, 100),
                r.duration("clari.api.retry-delay"),
                r.duration("clari.api.max-retry-delay"),
                r.duration("clari.api.throttle-delay"),
                r.duration("clari.api.throttle-pause"),
                r.intBetween("clari.api.throttle-persist", 1, 1000),
                r.intBetween("clari.api.page-size-backoff-after", 1, 1000),
                r.intBetween("clari.api.page-size-recover-after", 1, 1_000_000),
                r.str("clari.api.rate-limit-group", "").trim(),
                r.instantOrDate("clari.sync.start-date"),
                schedule,
                r.duration("clari.sync.lookback"),
                r.duration("clari.scorecards.lookback"),
                r.duration("clari.sync.reconcile-horizon"),
                r.duration("clari.sync.reconcile-every"),
                List.copyOf(streams),
                r.bool("clari.sync.run-on-start"),
                r.intBetween("clari.sync.max-rescans", 0, 1000),
                r.duration("clari.sync.progress-every"),
                r.duration("clari.sync.lock-wait"),
                r.intBetween("clari.details.parallelism", 1, 64),
                r.intBetween("clari.details.max-in-flight", 1, 256),
                r.intBetween("clari.details.batch-size", 1, 10_000),
                mode,
                r.durations("clari.details.recheck-after"),
                maxAnswerBytes(r.str("clari.details.max-answer-bytes", "auto")),
                RejectionLimit.parse("clari.sync.max-rejected", r.str("clari.sync.max-rejected", "1%")),
                HistoryStreams.parse(p),
                url,
                r.str("warehouse.user", ""),
                Secret.of(r.str("warehouse.password", "")),
                r.str("warehouse.schema", ""),
                r.intBetween("management.port", 0, 65535),
                r.str("report.out", "./data/report.html"),
                r.bool("report.serve"),
                r.str("routes.dir", "./routes"),
                Map.copyOf(p));
    }

    /**
     * The forward proxy of this account's Clari requests, or none: {@code clari.api.proxy}, else the JVM's proxy
     * properties, else the environment's {@code HTTPS_PROXY}/{@code HTTP_PROXY}/{@code NO_PROXY} ({@link ApiProxy}).
     */
    public ApiProxy apiProxy() {
        return ApiProxy.resolve(apiBaseUrl, raw, System::getProperty);
    }

    /**
     * {@code clari.details.max-answer-bytes}: a number of bytes, or {@code auto}, a sixteenth of the heap. Measured at
     * -Xmx128m: a 7.3 MB answer (60,000 transcript turns) lands, an 18.5 MB one ran the heap out; an answer takes about
     * ten times its size while it is read, flattened and written, besides the batches around it.
     */
    static long maxAnswerBytes(String value) {
        if ("auto".equalsIgnoreCase(value.trim())) {
            return Runtime.getRuntime().maxMemory() / 16;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new SettingsException("clari.details.max-answer-bytes", "must be a positive number of bytes or auto, not '" + value + "'");
    }

    /** The properties handed to Camel (for <code>{{...}}</code> placeholders in routes): everything except secrets. */
    public Map<String, String> camelProperties() {
        Map<String, String> out = new TreeMap<>(raw);
        out.keySet().removeIf(SecretsPolicy::isSecret);
        return out;
    }

    /** Typed accessors that name the key in every error. */
    private record Reader(Map<String, String> p) {
        String str(String key, String dflt) {
            String v = p.get(key);
            return v == null ? dflt : v.trim();
        }

        String required(String key) {
            String v = str(key, "");
            if (v.isEmpty()) {
                throw new SettingsException(key, "is required");
            }
            return v;
        }

        URI uri(String key) {
            String v = required(key);
            try {
                URI u = URI.create(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
                if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                    throw new IllegalArgumentException();
                }
                return u;
            } catch (IllegalArgumentException e) {
                throw new SettingsException(key, "must be an http(s) URL, not '" + v + "'");
            }
        }

        long parseLong(String key) {
            String v = required(key);
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new SettingsException(key, "must be a whole number, not '" + v + "'");
            }
        }

        int intBetween(String key, int min, int max) {
            long v = parseLong(key);
            if (v < min || v > max) {
                throw new SettingsException(key, "must be between " + min + " and " + max + ", not " + v);
            }
            return (int) v;
        }

        double decimalBetween(String key, double min, double max) {
            String v = required(key);
            try {
                double d = Double.parseDouble(v);
                if (d >= min && d <= max) {
                    return d;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new SettingsException(key, "must be a number from " + min + " to " + max + ", not '" + v + "'");
        }

        int positiveInt(String key) {
            return intBetween(key, 1, Integer.MAX_VALUE);
        }

        long positiveLong(String key) {
            long v = parseLong(key);
            if (v < 1) {
                throw new SettingsException(key, "must be positive, not " + v);
            }
            return v;
        }

        long nonNegativeLong(String key) {
            long v = parseLong(key);
            if (v < 0) {
                throw new SettingsException(key, "must not be negative, not " + v);
            }
            return v;
        }

        boolean bool(String key) {
            String v = required(key);
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new SettingsException(key, "must be true or false, not '" + v + "'");
            }
            return Boolean.parseBoolean(v);
        }

        Duration duration(String key) {
            String v = required(key);
            try {
                Duration d = Duration.parse(v);
                if (d.isNegative()) {
                    throw new SettingsException(key, "must not be negative, not " + v);
                }
                return d;
            } catch (DateTimeParseException e) {
                throw new SettingsException(key, "must be an ISO-8601 duration such as PT1H or PT30S, not '" + v + "'");
            }
        }

        /** A comma-separated list of ISO-8601 durations, each positive, in ascending order; empty allowed. */
        List<Duration> durations(String key) {
            String v = p.getOrDefault(key, "");
            List<Duration> out = new ArrayList<>();
            for (String part : v.split(",")) {
                String t = part.trim();
                if (t.isEmpty()) {
                    continue;
                }
                Duration d;
                try {
                    d = Duration.parse(t);
                } catch (DateTimeParseException e) {
                    throw new SettingsException(key, "must be ISO-8601 durations such as P1D,P7D (or empty), not '" + v + "'");
                }
                if (d.isNegative() || d.isZero() || (!out.isEmpty() && d.compareTo(out.get(out.size() - 1)) <= 0)) {
                    throw new SettingsException(key, "must be positive durations in ascending order, not '" + v + "'");
                }
                out.add(d);
            }
            return List.copyOf(out);
        }

        Instant instantOrDate(String key) {
            String v = required(key);
            try {
                return v.contains("T") ? Instant.parse(v) : LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw new SettingsException(key, "must be an ISO date (2024-01-01) or instant (2024-01-01T00:00:00Z), not '" + v + "'");
            }
        }

        List<String> list(String key) {
            List<String> out = new ArrayList<>();
            Arrays.stream(required(key).split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
            if (out.isEmpty()) {
                throw new SettingsException(key, "must name at least one stream");
            }
            return out;
        }
    }

    @Override
    public String toString() {
        // never print raw: it holds the secrets
        return "ConnectorSettings[apiBaseUrl=" + apiBaseUrl + ", warehouseUrl=" + warehouseUrl + ", streams=" + streams + "]";
    }
}
