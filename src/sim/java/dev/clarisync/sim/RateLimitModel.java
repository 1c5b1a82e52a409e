package dev.clarisync.sim;

import java.util.ArrayDeque;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * How the simulator enforces its per-second limit of N requests. Clari does not document its gateway's
 * algorithm, so a client must hold under each of these (issue 13):
 * <ul>
 *   <li>{@link #TOKEN_BUCKET}: at most N tokens, refilled continuously at N a second, one per request. A burst
 *       of N passes; over any stretch T at most N + N·T get through. What API gateways usually run.</li>
 *   <li>{@link #FIXED_WINDOW}: a counter per wall-clock second ({@code [k s, (k+1) s)}), reset at each
 *       second boundary. 2N can pass within a few milliseconds around a boundary.</li>
 *   <li>{@link #SLIDING_WINDOW}: strict sliding one-second window: a request is refused when N requests were
 *       admitted in the 1,000 ms before it. The least forgiving: evenly spaced requests bunched by
 *       scheduling jitter draw 429s.</li>
 * </ul>
 * Refused requests consume nothing under any model.
 */
public enum RateLimitModel {
    TOKEN_BUCKET,
    FIXED_WINDOW,
    SLIDING_WINDOW;

    /** The option value: {@code token-bucket}, {@code fixed-window}, {@code sliding-window}. */
    public String option() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #option()} (case-insensitive; underscores accepted). */
    public static RateLimitModel parse(String option) {
        String n = option.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (RateLimitModel m : values()) {
            if (m.name().equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown rate-limit model '" + option
                + "' (token-bucket, fixed-window or sliding-window)");
    }

    /**
     * A new per-second gate of this model admitting {@code perSecond} requests.
     *
     * @param nanoClock  monotonic clock in nanoseconds (token bucket, sliding window)
     * @param wallMillis wall clock in epoch milliseconds (fixed window: seconds are wall-clock seconds)
     */
    PerSecondGate gate(int perSecond, LongSupplier nanoClock, LongSupplier wallMillis) {
        return switch (this) {
            case TOKEN_BUCKET -> new TokenBucket(perSecond, nanoClock);
            case FIXED_WINDOW -> new FixedWindow(perSecond, wallMillis);
            case SLIDING_WINDOW -> new SlidingWindow(perSecond, nanoClock);
        };
    }

    /** One model's admission state; callers synchronise and call {@link #record()} only right after {@link #full()}. */
    interface PerSecondGate {
        /** Whether a request arriving now would be refused. */
        boolean full();

        /** Counts a request admitted now (just after {@link #full()} said false). */
        void record();
    }

    private static final long SECOND_NANOS = 1_000_000_000L;

    private static final class TokenBucket implements PerSecondGate {
        private final int perSecond;
        private final LongSupplier clock;
        private double tokens;
        private long refilledAt;

        TokenBucket(int perSecond, LongSupplier clock) {
            this.perSecond = perSecond;
            this.clock = clock;
            this.tokens = perSecond;
            this.refilledAt = clock.getAsLong();
        }

        @Override
        public boolean full() {
            long now = clock.getAsLong();
            tokens = Math.min(perSecond, tokens + (now - refilledAt) * (double) perSecond / SECOND_NANOS);
            refilledAt = now;
            return tokens < 1;
        }

        @Override
        public void record() {
            tokens -= 1;
        }
    }

    private static final class FixedWindow implements PerSecondGate {
        private final int perSecond;
        private final LongSupplier wallMillis;
        private long second = Long.MIN_VALUE;
        private int count;

        FixedWindow(int perSecond, LongSupplier wallMillis) {
            this.perSecond = perSecond;
            this.wallMillis = wallMillis;
        }

        @Override
        public boolean full() {
            long s = Math.floorDiv(wallMillis.getAsLong(), 1000L);
            if (s != second) {
                second = s;
                count = 0;
            }
            return count >= perSecond;
        }

        @Override
        public void record() {
            count++;
        }
    }

    private static final class SlidingWindow implements PerSecondGate {
        private final int perSecond;
        private final LongSupplier clock;
        /** Admission times of the requests admitted within the last second, oldest first. */
        private final ArrayDeque<Long> admitted = new ArrayDeque<>();

        SlidingWindow(int perSecond, LongSupplier clock) {
            this.perSecond = perSecond;
            this.clock = clock;
        }

        private long now;

        @Override
        public boolean full() {
            now = clock.getAsLong();
            while (!admitted.isEmpty() && now - admitted.peekFirst() >= SECOND_NANOS) {
                admitted.pollFirst();
            }
            return admitted.size() >= perSecond;
        }

        @Override
        public void record() {
            admitted.addLast(now);
        }
    }
}
