package dev.clarisync.sim;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what the simulator received: every request is counted on arrival (by path), and again by the
 * status it was answered with (0 when the connection was closed without an answer). Rejected requests
 * (401, 429, injected faults) count like any other. Thread-safe.
 */
public final class RequestLog {
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final Map<String, Long> byPath = new TreeMap<>();
    private final Map<Integer, Long> byStatus = new TreeMap<>();
    private final ArrayDeque<Long> lastSecond = new ArrayDeque<>();
    private long total;
    private int maxInAnySecond;
    private long firstNanos;
    private long lastNanos;
    private long served;
    private long firstServedNanos;
    private long lastServedNanos;
    private int inFlight;
    private int maxInFlight;
    private final Map<String, Long> byKey = new TreeMap<>();
    /** Per path: answers other than 429, and when the first and the last came (see {@link #servedPerSecond(String)}). */
    private final Map<String, long[]> servedByPath = new TreeMap<>();

    synchronized void arrived(String path) {
        total++;
        byPath.merge(path, 1L, Long::sum);
        long now = System.nanoTime();
        if (total == 1) {
            firstNanos = now;
        }
        lastNanos = now;
        while (!lastSecond.isEmpty() && now - lastSecond.peekFirst() >= SECOND_NANOS) {
            lastSecond.pollFirst();
        }
        lastSecond.addLast(now);
        maxInAnySecond = Math.max(maxInAnySecond, lastSecond.size());
    }

    /** A request is being handled (from arrival to its answer, answer time included). */
    synchronized void began() {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
    }

    synchronized void ended() {
        inFlight--;
    }

    /** A request with credentials was checked: counted by its API key. */
    synchronized void byKey(String key) {
        byKey.merge(key, 1L, Long::sum);
    }

    /** The most requests being handled at once since start or reset (a client's requests in flight). */
    public synchronized int maxInFlight() {
        return maxInFlight;
    }

    /** Snapshot of requests per API key (those that carried credentials). */
    public synchronized Map<String, Long> byKey() {
        return new TreeMap<>(byKey);
    }

    synchronized void answered(int status) {
        answered(null, status);
    }

    /** An answer to a request on {@code path} (null: unknown) was sent with this status. */
    synchronized void answered(String path, int status) {
        byStatus.merge(status, 1L, Long::sum);
        if (status != 429 && status != 0) {
            long now = System.nanoTime();
            if (++served == 1) {
                firstServedNanos = now;
            }
            lastServedNanos = now;
            if (path != null) {
                long[] p = servedByPath.computeIfAbsent(path, k -> new long[] {0, now, now});
                p[0]++;
                p[2] = now;
            }
        }
    }

    /**
     * {@link #servedPerSecond()} of one path alone, between its own first and last answer: the rate a phase of a sync
     * used (the details phase, without the list pages before it that are read one at a time).
     */
    public synchronized double servedPerSecond(String path) {
        long[] p = servedByPath.get(path);
        return p == null || p[0] < 2 || p[2] == p[1] ? 0 : (p[0] - 1) / ((p[2] - p[1]) / 1e9);
    }

    /**
     * Requests answered with anything but a 429 (or a dropped connection) per second, between the first and the
     * last such answer, on this server's clock: the share of a rate limit a client actually used.
     */
    public synchronized double servedPerSecond() {
        return served < 2 || lastServedNanos == firstServedNanos ? 0 : (served - 1) / ((lastServedNanos - firstServedNanos) / 1e9);
    }

    /** When the first request arrived ({@link System#nanoTime}); 0 before any. */
    public synchronized long firstArrivalNanos() {
        return total == 0 ? 0 : firstNanos;
    }

    /** When the last request arrived ({@link System#nanoTime}); 0 before any. */
    public synchronized long lastArrivalNanos() {
        return total == 0 ? 0 : lastNanos;
    }

    /** All requests received. */
    public synchronized long total() {
        return total;
    }

    /** Requests received on exactly this path (e.g. {@code "/calls"}). */
    public synchronized long count(String path) {
        return byPath.getOrDefault(path, 0L);
    }

    /** Requests answered with this status. */
    public synchronized long countStatus(int status) {
        return byStatus.getOrDefault(status, 0L);
    }

    /** Requests answered 429 (rate limit, quota or injected). */
    public synchronized long tooManyRequests() {
        return countStatus(429);
    }

    /** Snapshot of counts per path. */
    public synchronized Map<String, Long> byPath() {
        return new TreeMap<>(byPath);
    }

    /** Snapshot of counts per answered status. */
    public synchronized Map<Integer, Long> byStatus() {
        return new TreeMap<>(byStatus);
    }

    /** The most requests received within any sliding one-second window since start or reset. */
    public synchronized int maxInAnySecond() {
        return maxInAnySecond;
    }

    /** Forgets everything counted so far. */
    public synchronized void reset() {
        byPath.clear();
        byStatus.clear();
        byKey.clear();
        servedByPath.clear();
        lastSecond.clear();
        maxInFlight = inFlight;
        total = 0;
        maxInAnySecond = 0;
        firstNanos = 0;
        lastNanos = 0;
        served = 0;
        firstServedNanos = 0;
        lastServedNanos = 0;
    }

    /** Requests per second between the first and the last arrival (0 with fewer than two requests). */
    public synchronized double ratePerSecond() {
        return total < 2 || lastNanos == firstNanos ? 0 : (total - 1) / ((lastNanos - firstNanos) / 1e9);
    }

    @Override
    public synchronized String toString() {
        return "RequestLog[total=" + total + ", byPath=" + byPath + ", byStatus=" + byStatus
                + ", maxInAnySecond=" + maxInAnySecond + ", maxInFlight=" + maxInFlight + "]";
    }
}
