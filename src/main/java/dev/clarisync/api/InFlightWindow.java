package dev.clarisync.api;

import java.util.function.DoubleSupplier;

/**
 * How many requests of one stream may be outstanding at once. Little's law: requests in flight = rate × answer time,
 * so at 10 requests a second and answers of 700 ms about 7 must be out to use the limit, and four threads cap a sync
 * at 4 / 0.7 s = 5.7 requests a second. The window follows the measured answer time (an exponentially weighted mean
 * of the answers so far) and the limiter's current rate: {@code ceil(rate × answer time × 1.25) + 2} (the headroom
 * covers the time a request spends outside the HTTP call: parsing, waiting for its slot), never below {@code floor}
 * ({@code clari.details.parallelism}) and never above {@code cap} ({@code clari.details.max-in-flight}). It grows as
 * answers slow down and shrinks as they speed up; the limiter, not this window, still spaces the requests.
 *
 * <p>A permit is taken before a request is handed out ({@link #acquire}) and given back when its answer has been
 * handed on ({@link #release}). {@link #close} wakes every waiter (the stream ended or failed). Thread-safe.
 */
public final class InFlightWindow {
    /** Weight of the newest answer time in the mean. */
    static final double ALPHA = 0.2;
    /** Share above rate × answer time that is kept outstanding. */
    static final double HEADROOM = 1.25;
    /** Requests outstanding beyond rate × answer time × headroom: one waiting for its slot, one being read. */
    static final int SPARE = 2;

    private final int floor;
    private final int cap;
    private final DoubleSupplier rate;
    // guarded by this
    private int outstanding;
    private int maxOutstanding;
    private double meanAnswerNanos = -1;
    private boolean closed;

    /**
     * @param floor requests allowed out before any answer time is known, and always (at least 1)
     * @param cap   the most ever allowed out (at least {@code floor})
     * @param rate  requests per second the limiter allows now
     */
    public InFlightWindow(int floor, int cap, DoubleSupplier rate) {
        if (floor < 1 || cap < floor) {
            throw new IllegalArgumentException("need 1 <= floor <= cap, not " + floor + " and " + cap);
        }
        this.floor = floor;
        this.cap = cap;
        this.rate = rate;
    }

    /** Waits until one more request may be outstanding and takes its permit; false once {@link #close}d. */
    public synchronized boolean acquire() throws InterruptedException {
        while (!closed && outstanding >= limit()) {
            wait();
        }
        if (closed) {
            return false;
        }
        outstanding++;
        maxOutstanding = Math.max(maxOutstanding, outstanding);
        return true;
    }

    /** Gives a permit back: its request was answered and handed on (or skipped, or set aside). */
    public synchronized void release() {
        if (outstanding > 0) {
            outstanding--;
        }
        notifyAll();
    }

    /** One answer took this long (from leaving the limiter to its last byte): the window follows it. */
    public synchronized void answered(long nanos) {
        double n = Math.max(0, nanos);
        meanAnswerNanos = meanAnswerNanos < 0 ? n : meanAnswerNanos + ALPHA * (n - meanAnswerNanos);
        notifyAll();
    }

    /** Requests allowed out now. */
    public synchronized int limit() {
        if (meanAnswerNanos < 0) {
            return floor;
        }
        double need = rate.getAsDouble() * meanAnswerNanos / 1e9 * HEADROOM + SPARE;
        return (int) Math.max(floor, Math.min(cap, Math.ceil(need)));
    }

    /**
     * Waits until no permit is out (every request handed out has ended), at most {@code max}; true when none is.
     * Interrupted: gives up at once.
     */
    public synchronized boolean awaitIdle(java.time.Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        try {
            for (long left = max.toNanos(); outstanding > 0 && left > 0; left = deadline - System.nanoTime()) {
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return outstanding == 0;
    }

    /** Stops handing out permits and wakes every waiter; idempotent. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** The most requests that were out at once. */
    public synchronized int maxOutstanding() {
        return maxOutstanding;
    }

    /** The mean answer time so far, in milliseconds (0 before the first answer). */
    public synchronized long meanAnswerMillis() {
        return meanAnswerNanos < 0 ? 0 : Math.round(meanAnswerNanos / 1e6);
    }

    /** Requests out now. */
    public synchronized int outstanding() {
        return outstanding;
    }
}
