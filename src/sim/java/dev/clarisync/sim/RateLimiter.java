package dev.clarisync.sim;

/**
 * The API's two limits: N requests per second as an API gateway enforces them — a token bucket holding
 * at most N tokens, refilled at N per second, one token per request (so a burst of N passes, the
 * (N+1)-th in the same instant is refused, and over any stretch T at most N + N·T get through) — and
 * a weekly quota that resets on Sunday 00:00 UTC. A bucket, unlike a strict sliding second, does not
 * punish a client whose evenly spaced requests arrive bunched by scheduling on a busy machine.
 * Rejected requests consume neither limit. Thread-safe.
 */
final class RateLimiter {
    enum Verdict { ADMITTED, RATE_LIMITED, QUOTA_EXHAUSTED }

    private static final long SECOND_NANOS = 1_000_000_000L;
    private static final long DAY_MILLIS = 86_400_000L;

    private final int perSecond;
    private final long weeklyQuota;
    private double tokens;
    private long refilledAt = System.nanoTime();
    private long week = Long.MIN_VALUE;
    private long used;

    RateLimiter(int perSecond, long weeklyQuota) {
        this.perSecond = perSecond;
        this.weeklyQuota = weeklyQuota;
        this.tokens = perSecond;
    }

    synchronized Verdict admit() {
        long now = System.nanoTime();
        if (perSecond > 0) {
            tokens = Math.min(perSecond, tokens + (now - refilledAt) * (double) perSecond / SECOND_NANOS);
            refilledAt = now;
            if (tokens < 1) {
                return Verdict.RATE_LIMITED;
            }
        }
        long currentWeek = sundayWeek(System.currentTimeMillis());
        if (currentWeek != week) {
            week = currentWeek;
            used = 0;
        }
        if (weeklyQuota > 0 && used >= weeklyQuota) {
            return Verdict.QUOTA_EXHAUSTED;
        }
        used++;
        if (perSecond > 0) {
            tokens -= 1;
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
