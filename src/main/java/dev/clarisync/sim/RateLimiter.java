package dev.clarisync.sim;

import java.util.ArrayDeque;

/**
 * The API's two limits: at most N admitted requests in any sliding second, and a weekly quota that
 * resets on Sunday 00:00 UTC. Rejected requests consume neither, so a client that backs off gets
 * through again after a second. Thread-safe.
 */
final class RateLimiter {
    enum Verdict { ADMITTED, RATE_LIMITED, QUOTA_EXHAUSTED }

    private static final long SECOND_NANOS = 1_000_000_000L;
    private static final long DAY_MILLIS = 86_400_000L;

    private final int perSecond;
    private final long weeklyQuota;
    private final ArrayDeque<Long> window = new ArrayDeque<>();
    private long week = Long.MIN_VALUE;
    private long used;

    RateLimiter(int perSecond, long weeklyQuota) {
        this.perSecond = perSecond;
        this.weeklyQuota = weeklyQuota;
    }

    synchronized Verdict admit() {
        long now = System.nanoTime();
        if (perSecond > 0) {
            while (!window.isEmpty() && now - window.peekFirst() >= SECOND_NANOS) {
                window.pollFirst();
            }
            if (window.size() >= perSecond) {
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
            window.addLast(now);
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
