package dev.clarisync.sim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Faults to inject into upcoming requests. Thread-safe.
 *
 * <p>Queued faults are consumed first-in first-out by the next requests whose path starts with the
 * fault's prefix ({@code "/calls"}, {@code "/call-details"}, {@code "/users"}); a request takes at most
 * one fault. When no queued fault matches and random errors are on, each request fails with a random
 * 5xx at the configured rate. Faults act before authentication and rate limiting, like a gateway
 * failing in front of the API.
 */
public final class FaultPlan {
    private record Entry(String prefix, Fault fault) {
    }

    private final List<Entry> queue = new ArrayList<>();
    /** Faults every request on an exact path gets, until {@link #clear}: an endpoint this account may not use. */
    private final java.util.Map<String, Fault> standing = new java.util.HashMap<>();
    private double errorRate;
    private Random errorRandom;

    /** Queues a fault for the next request whose path starts with {@code pathPrefix}. */
    public synchronized FaultPlan enqueue(String pathPrefix, Fault fault) {
        if (pathPrefix == null || fault == null) {
            throw new IllegalArgumentException("pathPrefix and fault are required");
        }
        queue.add(new Entry(pathPrefix, fault));
        return this;
    }

    /** Queues the same fault {@code times} times. */
    public synchronized FaultPlan enqueue(String pathPrefix, Fault fault, int times) {
        for (int i = 0; i < times; i++) {
            enqueue(pathPrefix, fault);
        }
        return this;
    }

    /**
     * Answers every request on exactly {@code path} (no prefix match: {@code /scorecard} is not
     * {@code /scorecard-template}) with {@code fault}, before queued faults, until {@link #clear}: an account without a
     * feature ({@code always("/scorecard", Fault.forbidden())}).
     */
    public synchronized FaultPlan always(String path, Fault fault) {
        if (path == null || fault == null) {
            throw new IllegalArgumentException("path and fault are required");
        }
        standing.put(path, fault);
        return this;
    }

    /**
     * Fails every request (any path) with probability {@code rate} with a 500, 502, 503 or 504, drawn
     * from a random sequence seeded by {@code seed}. Rate 0 turns it off.
     */
    public synchronized void randomServerErrors(double rate, long seed) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("rate must be 0..1");
        }
        errorRate = rate;
        errorRandom = rate > 0 ? new Random(seed) : null;
    }

    /** Drops queued faults and stops random errors. */
    public synchronized void clear() {
        queue.clear();
        standing.clear();
        errorRate = 0;
        errorRandom = null;
    }

    /** Number of queued faults not consumed yet (standing ones not counted). */
    public synchronized int pending() {
        return queue.size();
    }

    /** Takes the fault for a request on {@code path}, or null to answer normally. */
    synchronized Fault next(String path) {
        Fault always = standing.get(path);
        if (always != null) {
            return always;
        }
        for (Iterator<Entry> it = queue.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (path.startsWith(e.prefix())) {
                it.remove();
                return e.fault();
            }
        }
        if (errorRandom != null && errorRandom.nextDouble() < errorRate) {
            return Fault.serverError(errorRandom.nextInt(4));
        }
        return null;
    }
}
