package dev.clarisync.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The limiter's spacing and AIMD logic on a fake clock: sleeping advances it, so no real time passes. */
class ClariRateLimiterTest {
    private static final long MS = 1_000_000L;
    private final AtomicLong now = new AtomicLong(1_000 * MS);
    private final List<Long> sleeps = new ArrayList<>();

    /** 10 a second, 3% margin, 1 s pause (jitter fixed at its middle), 120 s after 3 episodes in a row. */
    private ClariRateLimiter limiter() {
        return new ClariRateLimiter(10, 1000, 0.03, 1000, 120_000, 3, now::get, nanos -> {
            sleeps.add(nanos);
            now.addAndGet(nanos);
        }, () -> 0.5);
    }

    private long ms(long nanos) {
        return Math.round(nanos / (double) MS);
    }

    @Test
    void should_space_requests_evenly_with_the_margin_and_never_burst() throws InterruptedException {
        ClariRateLimiter l = limiter();
        long first = l.awaitSlot();
        List<Long> gaps = new ArrayList<>();
        long previous = first;
        for (int i = 0; i < 30; i++) {
            long t = l.awaitSlot();
            gaps.add(ms(t - previous));
            previous = t;
        }
        assertThat(gaps).containsOnly(103L);
        assertThat(l.rate()).isBetween(9.70, 9.71);
        // idle for 5 s: the next request leaves at once, the one after it a full slot later (no catch-up burst)
        now.addAndGet(5_000 * MS);
        long a = l.awaitSlot();
        long b = l.awaitSlot();
        assertThat(ms(b - a)).isEqualTo(103);
    }

    @Test
    void should_pause_everyone_about_a_second_and_cut_the_rate_on_a_429_then_recover_additively() throws InterruptedException {
        ClariRateLimiter l = limiter();
        long sent = l.awaitSlot();
        long pause = l.onTooManyRequests(sent, null);
        assertThat(pause).isEqualTo(1000); // jitter 0.5 → exactly the configured pause
        assertThat(l.rate()).isCloseTo(9.709 * 0.8, org.assertj.core.data.Offset.offset(0.01));
        long t0 = now.get();
        long next = l.awaitSlot();
        assertThat(ms(next - t0)).isEqualTo(1000);
        long after = l.awaitSlot();
        assertThat(ms(after - next)).isEqualTo(129); // 103 ms / 0.8
        for (int i = 0; i < 20; i++) {
            l.onSuccess(after);
        }
        assertThat(l.rate()).isCloseTo(9.709, org.assertj.core.data.Offset.offset(0.01));
        assertThat(l.episodes()).isEqualTo(1);
    }

    @Test
    void should_count_429s_of_requests_sent_before_the_episode_as_the_same_episode() throws InterruptedException {
        ClariRateLimiter l = limiter();
        long[] inFlight = new long[4];
        for (int i = 0; i < 4; i++) {
            inFlight[i] = l.awaitSlot();
        }
        for (long sent : inFlight) {
            l.onTooManyRequests(sent, null); // four parallel threads, one gateway refusal
        }
        assertThat(l.episodes()).isEqualTo(1);
        assertThat(l.rate()).isCloseTo(9.709 * 0.8, org.assertj.core.data.Offset.offset(0.01));
        long t0 = now.get();
        assertThat(ms(l.awaitSlot() - t0)).isLessThanOrEqualTo(1000); // not two minutes
    }

    @Test
    void should_wait_the_long_delay_only_when_429s_persist_without_a_success_between() throws InterruptedException {
        ClariRateLimiter l = limiter();
        assertThat(l.onTooManyRequests(l.awaitSlot(), null)).isEqualTo(1000);
        assertThat(l.onTooManyRequests(l.awaitSlot(), null)).isEqualTo(1000);
        long sent = l.awaitSlot();
        l.onSuccess(sent); // a success resets the run
        assertThat(l.onTooManyRequests(l.awaitSlot(), null)).isEqualTo(1000);
        assertThat(l.onTooManyRequests(l.awaitSlot(), null)).isEqualTo(1000);
        assertThat(l.onTooManyRequests(l.awaitSlot(), null)).isEqualTo(120_000);
        long t0 = now.get();
        assertThat(ms(l.awaitSlot() - t0)).isEqualTo(120_000);
    }

    @Test
    void should_honour_retry_after_even_for_a_429_of_the_same_episode() throws InterruptedException {
        ClariRateLimiter l = limiter();
        long a = l.awaitSlot();
        long b = l.awaitSlot();
        assertThat(l.onTooManyRequests(a, null)).isEqualTo(1000);
        assertThat(l.onTooManyRequests(b, 7_000L)).isEqualTo(7000);
        long t0 = now.get();
        assertThat(ms(l.awaitSlot() - t0)).isEqualTo(7000);
    }

    @Test
    void should_never_let_more_than_the_limit_leave_in_one_window_when_threads_wake_late() throws InterruptedException {
        // a sleeper that oversleeps the first slot by 60 ms, as a busy machine does: the slots after it are on time,
        // so without the send-time check 11 requests would leave within 1000 ms
        AtomicLong oversleep = new AtomicLong(60 * MS);
        ClariRateLimiter l = new ClariRateLimiter(10, 1000, 0.03, 1000, 120_000, 3, now::get,
                nanos -> now.addAndGet(nanos + oversleep.getAndSet(0)), () -> 0.5);
        List<Long> times = new ArrayList<>();
        l.awaitSlot(); // the slot of "now": no sleep
        for (int i = 0; i < 40; i++) {
            times.add(l.awaitSlot());
        }
        for (int i = 10; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - 10)).as("request %d", i).isGreaterThanOrEqualTo(1030 * MS);
        }
    }
}
