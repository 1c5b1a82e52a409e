package dev.clarisync.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Settings of one {@link ClariSimulator}. Immutable; build with {@link #builder()} or take
 * {@link #defaults()}.
 *
 * <p>The data set is a pure function of {@code seed}, {@code callCount}, {@code userCount},
 * {@code privateCallRate} and the {@code [start, end]} span: two simulators with equal values serve
 * identical calls. The span defaults to the last {@code days} days ending at {@link #builder()} build
 * time, so pass explicit {@code start}/{@code end} instants when a test compares two runs.
 *
 * @param port                        TCP port on 127.0.0.1; 0 picks a free ephemeral port
 * @param apiKey                      expected {@code X-Api-Key}
 * @param apiPassword                 expected {@code X-Api-Password}
 * @param callCount                   number of calls generated at start
 * @param userCount                   number of workspace users ({@code /users})
 * @param seed                        seed of every generated value
 * @param start                       earliest call {@code time} (inclusive)
 * @param end                         "now" of the generated data: every {@code last_modified_time} is at or
 *                                    before it; only SCHEDULED calls have a {@code time} after it
 * @param maxSkip                     largest accepted {@code skip}; larger is a 400
 * @param maxLimit                    largest accepted {@code limit}; larger is a 400
 * @param rateLimitPerSecond          admitted requests per second (see {@code rateLimitModel}); 0 = unlimited
 * @param weeklyQuota                 admitted requests per UTC week (Sunday 00:00); 0 = unlimited
 * @param retryAfterSeconds           Retry-After value sent with rate-limit 429s; null = no header (the
 *                                    real API's behaviour)
 * @param latencyMillis               fixed answer time added to every response (of a path without its own in
 *                                    {@code latencyByPath})
 * @param forbiddenOnWrongCredentials wrong credentials answer 403 {@code {"message":"Forbidden"}}
 *                                    instead of 401
 * @param privateCallRate             share of calls marked private (served only with
 *                                    {@code includePrivate=true}); 0 by default so that a plain scan sees
 *                                    every call
 * @param threads                     HTTP worker threads (at least 64 when any answer time is added: a delayed
 *                                    answer holds its thread, and a client may keep dozens out at once)
 * @param rateLimitModel              how {@code rateLimitPerSecond} is enforced (token bucket, fixed
 *                                    wall-clock second, strict sliding second); see {@link RateLimitModel}
 * @param failPagesAbove              {@code /calls} requests whose {@code limit} is above this answer 502 Bad
 *                                    Gateway, as a gateway does that times out on large pages; 0 = never
 * @param latencyJitterMillis         a uniformly random 0..N ms added to each answer time
 * @param latencyByPath               fixed answer time of one path (e.g. {@code /call-details}), instead of
 *                                    {@code latencyMillis}
 */
public record SimulatorConfig(
        int port,
        String apiKey,
        String apiPassword,
        int callCount,
        int userCount,
        long seed,
        Instant start,
        Instant end,
        int maxSkip,
        int maxLimit,
        int rateLimitPerSecond,
        long weeklyQuota,
        Integer retryAfterSeconds,
        long latencyMillis,
        boolean forbiddenOnWrongCredentials,
        double privateCallRate,
        int threads,
        RateLimitModel rateLimitModel,
        int failPagesAbove,
        long latencyJitterMillis,
        java.util.Map<String, Long> latencyByPath) {

    /** Default span when neither {@code start} nor {@code days} is given. */
    public static final int DEFAULT_DAYS = 90;

    public SimulatorConfig {
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(apiPassword, "apiPassword");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        require(port >= 0 && port <= 65535, "port must be 0..65535");
        require(callCount >= 0, "callCount must be >= 0");
        require(userCount >= 1, "userCount must be >= 1");
        require(start.isBefore(end), "start must be before end");
        require(maxSkip >= 0, "maxSkip must be >= 0");
        require(maxLimit >= 1, "maxLimit must be >= 1");
        require(rateLimitPerSecond >= 0, "rateLimitPerSecond must be >= 0");
        require(weeklyQuota >= 0, "weeklyQuota must be >= 0");
        require(retryAfterSeconds == null || retryAfterSeconds >= 0, "retryAfterSeconds must be >= 0");
        require(latencyMillis >= 0, "latencyMillis must be >= 0");
        require(privateCallRate >= 0 && privateCallRate <= 1, "privateCallRate must be 0..1");
        require(threads >= 1, "threads must be >= 1");
        Objects.requireNonNull(rateLimitModel, "rateLimitModel");
        require(failPagesAbove >= 0, "failPagesAbove must be >= 0");
        require(latencyJitterMillis >= 0, "latencyJitterMillis must be >= 0");
        latencyByPath = java.util.Map.copyOf(Objects.requireNonNull(latencyByPath, "latencyByPath"));
        require(latencyByPath.values().stream().allMatch(v -> v >= 0), "latencyByPath values must be >= 0");
        // ms precision everywhere: the API serves milliseconds, and equality of two runs depends on it
        start = start.truncatedTo(ChronoUnit.MILLIS);
        end = end.truncatedTo(ChronoUnit.MILLIS);
    }

    /** The answer time to add to one request of {@code path}: its fixed part plus a random share of the jitter. */
    public long answerTimeMillis(String path, java.util.function.LongUnaryOperator random) {
        long fixed = latencyByPath.getOrDefault(path, latencyMillis);
        return fixed + (latencyJitterMillis > 0 ? random.applyAsLong(latencyJitterMillis + 1) : 0);
    }

    /** True when any answer time is added. */
    public boolean delaysAnswers() {
        return latencyMillis > 0 || latencyJitterMillis > 0 || latencyByPath.values().stream().anyMatch(v -> v > 0);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** All defaults: 300 calls over the last 90 days, 12 users, seed 42, no limits. */
    public static SimulatorConfig defaults() {
        return builder().build();
    }

    /** A builder with every default filled in. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.port = port;
        b.apiKey = apiKey;
        b.apiPassword = apiPassword;
        b.callCount = callCount;
        b.userCount = userCount;
        b.seed = seed;
        b.start = start;
        b.end = end;
        b.maxSkip = maxSkip;
        b.maxLimit = maxLimit;
        b.rateLimitPerSecond = rateLimitPerSecond;
        b.weeklyQuota = weeklyQuota;
        b.retryAfterSeconds = retryAfterSeconds;
        b.latencyMillis = latencyMillis;
        b.forbiddenOnWrongCredentials = forbiddenOnWrongCredentials;
        b.privateCallRate = privateCallRate;
        b.threads = threads;
        b.rateLimitModel = rateLimitModel;
        b.failPagesAbove = failPagesAbove;
        b.latencyJitterMillis = latencyJitterMillis;
        b.latencyByPath = new java.util.LinkedHashMap<>(latencyByPath);
        return b;
    }

    /** Mutable builder; {@link #build()} resolves the span. */
    public static final class Builder {
        private int port;
        private String apiKey = "sim-key";
        private String apiPassword = "sim-password";
        private int callCount = 300;
        private int userCount = 12;
        private long seed = 42;
        private Instant start;
        private Instant end;
        private int days = DEFAULT_DAYS;
        private int maxSkip = 10_000;
        private int maxLimit = 100;
        private int rateLimitPerSecond;
        private long weeklyQuota;
        private Integer retryAfterSeconds;
        private long latencyMillis;
        private boolean forbiddenOnWrongCredentials;
        private double privateCallRate;
        private int threads = 8;
        private RateLimitModel rateLimitModel = RateLimitModel.TOKEN_BUCKET;
        private int failPagesAbove;
        private long latencyJitterMillis;
        private java.util.Map<String, Long> latencyByPath = new java.util.LinkedHashMap<>();

        private Builder() {
        }

        public Builder port(int port) { this.port = port; return this; }
        public Builder apiKey(String apiKey) { this.apiKey = apiKey; return this; }
        public Builder apiPassword(String apiPassword) { this.apiPassword = apiPassword; return this; }
        public Builder callCount(int callCount) { this.callCount = callCount; return this; }
        public Builder userCount(int userCount) { this.userCount = userCount; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        /** Calls spread over the {@code days} days before {@code end} (ignored when {@code start} is set). */
        public Builder days(int days) { this.days = days; return this; }
        /** Earliest call time; overrides {@link #days(int)}. */
        public Builder start(Instant start) { this.start = start; return this; }
        /** The data set's "now"; defaults to the build time. */
        public Builder end(Instant end) { this.end = end; return this; }
        /** Shorthand for {@code start(start).end(end)}. */
        public Builder span(Instant start, Instant end) { this.start = start; this.end = end; return this; }
        public Builder maxSkip(int maxSkip) { this.maxSkip = maxSkip; return this; }
        public Builder maxLimit(int maxLimit) { this.maxLimit = maxLimit; return this; }
        public Builder rateLimitPerSecond(int n) { this.rateLimitPerSecond = n; return this; }
        public Builder weeklyQuota(long quota) { this.weeklyQuota = quota; return this; }
        public Builder retryAfterSeconds(Integer seconds) { this.retryAfterSeconds = seconds; return this; }
        public Builder latencyMillis(long millis) { this.latencyMillis = millis; return this; }
        /** A random 0..{@code millis} ms added to each answer time. */
        public Builder latencyJitterMillis(long millis) { this.latencyJitterMillis = millis; return this; }
        /** The fixed answer time of one path (e.g. {@code "/call-details"}), instead of {@link #latencyMillis}. */
        public Builder latencyMillis(String path, long millis) { this.latencyByPath.put(path, millis); return this; }
        public Builder forbiddenOnWrongCredentials(boolean b) { this.forbiddenOnWrongCredentials = b; return this; }
        public Builder privateCallRate(double rate) { this.privateCallRate = rate; return this; }
        public Builder threads(int threads) { this.threads = threads; return this; }
        public Builder rateLimitModel(RateLimitModel model) { this.rateLimitModel = model; return this; }
        /** {@code /calls} pages asking for more than {@code size} calls answer 502; 0 turns it off. */
        public Builder failPagesAbove(int size) { this.failPagesAbove = size; return this; }

        /** Validates and returns the configuration. */
        public SimulatorConfig build() {
            if (days < 1) {
                throw new IllegalArgumentException("days must be >= 1");
            }
            Instant e = end != null ? end : Instant.now();
            Instant s = start != null ? start : e.minus(Duration.ofDays(days));
            return new SimulatorConfig(port, apiKey, apiPassword, callCount, userCount, seed, s, e, maxSkip,
                    maxLimit, rateLimitPerSecond, weeklyQuota, retryAfterSeconds, latencyMillis,
                    forbiddenOnWrongCredentials, privateCallRate, threads, rateLimitModel, failPagesAbove,
                    latencyJitterMillis, latencyByPath);
        }
    }
}
