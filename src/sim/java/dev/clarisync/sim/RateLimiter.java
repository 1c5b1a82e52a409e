package dev.clarisync.sim;

import java.util.function.LongSupplier;

/**
 * The API's two limits: N requests per second, enforced by one of the {@link RateLimitModel}s (token
 * bucket by default, as API gateways usually do; fixed wall-clock second; strict sliding second), and a
 * weekly quota that resets on Sunday 00:00 UTC. Rejected requests consume neither limit. Thread-safe.
 */
final class RateLimiter {
    enum Verdict { ADMITTED, RATE_LIMITED, QUOTA_EXHAUSTED }

    private static final long DAY_MILLIS = 86_400_000L;

    private final long weeklyQuota;
    /** Null when there is no per-second limit. */
    private final RateLimitModel.PerSecondGate gate;
    private final LongSupplier wallMillis;
    private long week = Long.MIN_VALUE;
    private long used;

    RateLimiter(int perSecond, long weeklyQuota) {
        this(RateLimitModel.TOKEN_BUCKET, perSecond, weeklyQuota, System::nanoTime, System::currentTimeMillis);
    }

    RateLimiter(RateLimitModel model, int perSecond, long weeklyQuota, LongSupplier nanoClock, LongSupplier wallMillis) {
        this.weeklyQuota = weeklyQuota;
        this.gate = perSecond > 0 ? model.gate(perSecond, nanoClock, wallMillis) : null;
        this.wallMillis = wallMillis;
    }

    synchronized Verdict admit() {
        long currentWeek = sundayWeek(wallMillis.getAsLong());
        if (currentWeek != week) {
            week = currentWeek;
            used = 0;
        }
        if (gate != null && gate.full()) {
            return Verdict.RATE_LIMITED;
        }
        if (weeklyQuota > 0 && used >= weeklyQuota) {
            return Verdict.QUOTA_EXHAUSTED;
        }
        used++;
        if (gate != null) {
            gate.record();
        }
        return Verdict.ADMITTED;
    }

    /** Weeks counted from Sunday 1970-01-04 (epoch day 3). */
    static long sundayWeek(long epochMillis) {
        return Math.floorDiv(Math.floorDiv(epochMillis, DAY_MILLIS) + 4, 7);
    }

    synchronized long quotaUsed() {
        return used;
    }

    synchronized void resetQuota() {
        used = 0;
    }
}
