package dev.clarisync.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The in-flight window: rate × answer time, between its floor and its cap (Little's law). */
class InFlightWindowTest {
    static final long MS = 1_000_000L;

    @Test
    void should_allow_the_floor_before_any_answer_and_when_answers_are_instant() {
        InFlightWindow w = new InFlightWindow(4, 32, () -> 10);
        assertThat(w.limit()).isEqualTo(4);
        w.answered(MS);
        assertThat(w.limit()).isEqualTo(4);
    }

    @Test
    void should_grow_with_the_answer_time_up_to_the_cap_and_shrink_back() {
        InFlightWindow w = new InFlightWindow(4, 32, () -> 10);
        w.answered(700 * MS);
        // 10/s × 0.7 s × 1.25 + 2 = 10.75
        assertThat(w.limit()).isEqualTo(11);
        for (int i = 0; i < 50; i++) {
            w.answered(10_000 * MS);
        }
        assertThat(w.limit()).isEqualTo(32);
        for (int i = 0; i < 80; i++) {
            w.answered(300 * MS);
        }
        // 10 × 0.3 × 1.25 + 2 = 5.75
        assertThat(w.limit()).isEqualTo(6);
    }

    @Test
    void should_follow_the_limiters_rate() {
        double[] rate = {10};
        InFlightWindow w = new InFlightWindow(1, 64, () -> rate[0]);
        w.answered(1000 * MS);
        assertThat(w.limit()).isEqualTo(15);
        rate[0] = 5; // after a 429 the limiter's rate is cut: fewer are needed out
        assertThat(w.limit()).isEqualTo(9);
    }

    @Test
    void should_hold_a_request_back_until_one_out_is_released_and_wake_it_on_close() throws Exception {
        InFlightWindow w = new InFlightWindow(2, 2, () -> 10);
        assertThat(w.acquire()).isTrue();
        assertThat(w.acquire()).isTrue();
        CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(() -> {
            try {
                return w.acquire();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(third).isNotCompleted();
        w.release();
        assertThat(third.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(w.maxOutstanding()).isEqualTo(2);
        CompletableFuture<Boolean> fourth = CompletableFuture.supplyAsync(() -> {
            try {
                return w.acquire();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        w.close();
        assertThat(fourth.get(10, TimeUnit.SECONDS)).isFalse();
    }
}
