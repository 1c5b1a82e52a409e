package dev.clarisync.api;

import dev.clarisync.routes.ExchangeProperties;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one account's per-second request limit for every thread that calls Clari, under any gateway
 * algorithm (token bucket, fixed wall-clock second, strict sliding second: Clari does not say which).
 *
 * <p><b>Spacing, not bursts.</b> Each request takes the next free slot of a shared schedule; slots are
 * {@code window / limit × (1 + margin)} apart (102 ms at 10 a second and the default 2% margin), whichever thread
 * asks. A slot nobody took (all threads waiting for the writer to commit) is lost, not caught up in a
 * burst later: under a strict sliding second a catch-up gains little (request {@code k + limit} may
 * never leave sooner than a window after request {@code k}) and, measured, bunched requests drew 429s.
 * After waking, a request also checks the send times of the last {@code limit} requests: no
 * {@code limit + 1} requests ever leave within {@code window × (1 + margin)}, even when a busy machine
 * wakes a thread late. That holds the strictest gateway algorithm (a sliding second) and so the others
 * (token bucket, fixed wall-clock second).
 *
 * <p><b>AIMD on a per-second 429.</b> The first 429 of an episode pauses every thread for a short,
 * jittered {@code pause} (about a second) and cuts the rate by {@link #DECREASE}; each later success
 * wins back {@link #RECOVERY} of the ceiling. 429s answered to requests sent before the episode began
 * belong to it: four threads in flight make one episode, not four. Only when {@code persistAfter}
 * episodes follow one another without a success in between does the pause become the long
 * {@code persistentPause} (clari.api.throttle-delay, 2 min). A {@code Retry-After} always sets the
 * pause. The weekly quota's 429 "Limit Exceeded" is not seen here: it ends the run
 * ({@link RetryPolicy}).
 *
 * <p>One instance per account, shared by all its streams and parallel fetches. Thread-safe. Clock,
 * sleeper and jitter are injected so the logic is testable without real time.
 */
public final class ClariRateLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(ClariRateLimiter.class);
    /** Multiplicative decrease of the rate on a new 429 episode. */
    static final double DECREASE = 0.8;
    /** Additive increase per success, as a share of the ceiling rate. */
    static final double RECOVERY = 0.01;
    /** Largest limit whose last send times are kept and checked. */
    static final int MAX_CHECKED = 1000;
    /** The rate never falls below this share of the ceiling. */
    static final double FLOOR = 0.1;

    /** Waits; {@link Thread#sleep} in production, a clock-advancing fake in tests. */
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final int limit;
    private final long windowNanos;
    /** Slot distance at full rate. */
    private final long ceilingInterval;
    /** The window plus the margin: at most {@code limit} requests leave in any stretch this long. */
    private final long guardNanos;
    private final long pauseNanos;
    private final long persistentPauseNanos;
    private final int persistAfter;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private final DoubleSupplier random;

    // guarded by this
    private double share = 1.0;
    private long nextSlot;
    private long pausedUntil;
    private long episodeStart = Long.MIN_VALUE;
    private int episodesInARow;
    private final long[] sent;
    private int sentIndex;
    private long sentCount;
    private long episodes;
    private volatile java.util.function.Consumer<ClariRateLimiter> episodeListener;
    /** Set when a shared limit was found out: every request of this limiter takes its slot there instead. */
    private volatile ClariRateLimiter mergedInto;

    /**
     * @param limit           requests per window (Clari: 10)
     * @param windowMillis    the window (1000)
     * @param margin          share of the limit left unused, e.g. 0.02, against jitter between here and the gateway
     * @param pauseMillis     shared pause after a per-second 429 without Retry-After (jittered ±25%)
     * @param persistentPauseMillis pause once {@code persistAfter} episodes came in a row
     * @param persistAfter    429 episodes in a row, without a success in between, that count as persistent
     */
    public ClariRateLimiter(int limit, long windowMillis, double margin, long pauseMillis, long persistentPauseMillis,
                            int persistAfter, LongSupplier nanoClock, Sleeper sleeper, DoubleSupplier random) {
        if (limit < 1 || windowMillis < 1 || margin < 0 || pauseMillis < 0 || persistentPauseMillis < 0 || persistAfter < 1) {
            throw new IllegalArgumentException("bad rate limiter settings");
        }
        this.limit = limit;
        this.windowNanos = windowMillis * 1_000_000L;
        this.ceilingInterval = Math.round(windowNanos / (double) limit * (1 + margin));
        this.guardNanos = Math.round(windowNanos * (1 + margin));
        this.pauseNanos = pauseMillis * 1_000_000L;
        this.persistentPauseNanos = persistentPauseMillis * 1_000_000L;
        this.persistAfter = persistAfter;
        this.clock = nanoClock;
        this.sleeper = sleeper;
        this.random = random;
        // the send-time check matters at API rates; at test rates (1000/s and more) it is left out
        this.sent = new long[limit <= MAX_CHECKED ? limit : 0];
        this.nextSlot = nanoClock.getAsLong();
    }

    /** The production limiter: system clock, real sleeps, random jitter. */
    public static ClariRateLimiter of(int limit, long windowMillis, double margin, long pauseMillis,
                                      long persistentPauseMillis, int persistAfter) {
        return new ClariRateLimiter(limit, windowMillis, margin, pauseMillis, persistentPauseMillis, persistAfter,
                System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L)),
                () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The limiter of one account's settings: {@code clari.api.rate-limit} per {@code clari.api.rate-window-millis},
     * {@code clari.api.rate-margin}, {@code clari.api.throttle-pause}, {@code clari.api.throttle-delay} after
     * {@code clari.api.throttle-persist} episodes in a row.
     */
    public static ClariRateLimiter from(dev.clarisync.config.ConnectorSettings settings) {
        return of(settings.rateLimit(), settings.rateWindowMillis(), settings.rateMargin(), settings.throttlePause().toMillis(),
                settings.throttleDelay().toMillis(), settings.throttlePersist());
    }

    /** Route step before every request (first attempts and retries): waits for this request's slot. */
    public void acquire(Exchange exchange) throws InterruptedException {
        exchange.setProperty(ExchangeProperties.SENT_AT, awaitSlot());
    }

    /** Waits until a request may leave; returns the time it left. */
    public long awaitSlot() throws InterruptedException {
        ClariRateLimiter merged = mergedInto;
        if (merged != null) {
            return merged.awaitSlot();
        }
        long slot;
        synchronized (this) {
            slot = reserve(clock.getAsLong());
        }
        while (true) {
            long wait = slot - clock.getAsLong();
            if (wait > 0) {
                sleeper.sleepNanos(wait);
            }
            merged = mergedInto;
            if (merged != null) {
                // merged while this thread slept on a slot of its own: the shared limiter decides when it leaves
                return merged.awaitSlot();
            }
            synchronized (this) {
                long now = clock.getAsLong();
                if (now < pausedUntil) {
                    // a 429 arrived while this thread slept: queue again behind the pause
                    slot = reserve(now);
                    continue;
                }
                if (sent.length == 0) {
                    return now;
                }
                long oldest = sent[sentIndex];
                if (sentCount >= limit && now - oldest < guardNanos) {
                    // never `limit + 1` in one window (plus the margin), whether catching up or woken late
                    slot = oldest + guardNanos;
                    nextSlot = Math.max(nextSlot, slot + interval());
                    continue;
                }
                sent[sentIndex] = now;
                sentIndex = (sentIndex + 1) % limit;
                sentCount++;
                return now;
            }
        }
    }

    private long reserve(long now) {
        long slot = Math.max(Math.max(now, nextSlot), pausedUntil);
        nextSlot = slot + interval();
        return slot;
    }

    private long interval() {
        return Math.round(ceilingInterval / share);
    }

    /** Route step after every answer (2xx, or the 404 of a deleted call): the rate recovers. */
    public void succeeded(Exchange exchange) {
        Long sentAt = exchange.getProperty(ExchangeProperties.SENT_AT, Long.class);
        onSuccess(sentAt == null ? clock.getAsLong() : sentAt);
    }

    /** The request that left at {@code sentAt} was answered. */
    public synchronized void onSuccess(long sentAt) {
        if (sentAt > episodeStart) {
            episodesInARow = 0;
        }
        share = Math.min(1.0, share + RECOVERY);
    }

    /**
     * A per-second 429 for the request that left at {@code sentAt}: starts a new episode (pause and
     * rate cut) unless the request was sent before the current episode began. A Retry-After always
     * extends the pause to at least that long.
     *
     * @return the pause now in force, in milliseconds from now
     */
    public long onTooManyRequests(long sentAt, Long retryAfterMillis) {
        long pause;
        boolean began;
        synchronized (this) {
            long before = episodes;
            pause = tooMany(sentAt, retryAfterMillis);
            began = episodes != before;
        }
        // outside this limiter's lock: the listener looks at other limiters
        java.util.function.Consumer<ClariRateLimiter> l = episodeListener;
        if (began && l != null) {
            l.accept(this);
        }
        return pause;
    }

    /**
     * A shared limit was found out: from now on every request of this limiter, including those already waiting for a
     * slot here, takes its slot at {@code shared}; and {@code shared} counts the 429s to requests sent before now,
     * by any of the merged limiters, as part of its current episode (they were sent before the limiters were joined,
     * and must not start new episodes, whose third in a row means the long pause).
     */
    public void mergeInto(ClariRateLimiter shared) {
        if (shared == this) {
            return;
        }
        mergedInto = shared;
        shared.joined();
    }

    private synchronized void joined() {
        episodeStart = Math.max(episodeStart, clock.getAsLong());
    }

    /** Called with this limiter after each new 429 episode began (its pause and cut in force already). */
    public void onEpisode(java.util.function.Consumer<ClariRateLimiter> listener) {
        this.episodeListener = listener;
    }

    /** Requests that left this limiter at or after {@code since} (within the last {@code limit} sent; 0 when untracked). */
    public synchronized int sentSince(long since) {
        int n = 0;
        long count = Math.min(sentCount, sent.length);
        for (int i = 0; i < count; i++) {
            if (sent[i] >= since) {
                n++;
            }
        }
        return n;
    }

    /** Requests per window. */
    public int limit() {
        return limit;
    }

    /** The window plus the margin: no more than {@link #limit} requests leave within it. */
    long guardNanos() {
        return guardNanos;
    }

    private long tooMany(long sentAt, Long retryAfterMillis) {
        long now = clock.getAsLong();
        long pause = -1;
        if (sentAt > episodeStart) {
            episodeStart = now;
            episodes++;
            episodesInARow++;
            share = Math.max(FLOOR, share * DECREASE);
            pause = episodesInARow >= persistAfter
                    ? persistentPauseNanos
                    : Math.round(pauseNanos * (0.75 + 0.5 * random.getAsDouble()));
            if (episodesInARow >= persistAfter) {
                LOG.warn("HTTP 429 Too Many Requests {} times in a row: every request waits {} s (clari.api.throttle-delay)",
                        episodesInARow, persistentPauseNanos / 1_000_000_000L);
            } else {
                LOG.info("HTTP 429 Too Many Requests: every request pauses {} ms, then {} requests/s",
                        retryAfterMillis != null ? retryAfterMillis : pause / 1_000_000L, String.format(java.util.Locale.ROOT, "%.2f", rate()));
            }
        }
        if (retryAfterMillis != null) {
            pause = Math.max(pause, retryAfterMillis * 1_000_000L);
        }
        if (pause >= 0) {
            pausedUntil = Math.max(pausedUntil, now + pause);
            nextSlot = Math.max(nextSlot, pausedUntil);
        }
        return Math.max(0, (pausedUntil - now) / 1_000_000L);
    }

    /** {@link #onTooManyRequests(long, Long)} for the request of this exchange. */
    public long tooManyRequests(Exchange exchange, Long retryAfterMillis) {
        Long sentAt = exchange.getProperty(ExchangeProperties.SENT_AT, Long.class);
        return onTooManyRequests(sentAt == null ? clock.getAsLong() : sentAt, retryAfterMillis);
    }

    /** Requests per second allowed now. */
    public synchronized double rate() {
        return 1e9 / interval();
    }

    /** 429 episodes so far. */
    public synchronized long episodes() {
        return episodes;
    }

    long now() {
        return clock.getAsLong();
    }

    /** Nanoseconds since {@code sentAt} (a time {@link #awaitSlot} returned), on this limiter's clock. */
    public long since(long sentAt) {
        return clock.getAsLong() - sentAt;
    }
}
