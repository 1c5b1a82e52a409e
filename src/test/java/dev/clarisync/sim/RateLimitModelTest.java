package dev.clarisync.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clarisync.sim.RateLimiter.Verdict;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The three per-second limiter models, on injected clocks, and the model and page-size options over HTTP. */
class RateLimitModelTest {
    private static final long MS = 1_000_000L;

    /** One clock for both time bases: nanos for the monotonic clock, millis since the epoch for the wall clock. */
    private final AtomicLong nanos = new AtomicLong();

    private RateLimiter limiter(RateLimitModel model, int perSecond) {
        return new RateLimiter(model, perSecond, 0, nanos::get, () -> nanos.get() / MS);
    }

    private void at(long millis) {
        nanos.set(millis * MS);
    }

    private int admittedOf(RateLimiter l, int requests) {
        int ok = 0;
        for (int i = 0; i < requests; i++) {
            if (l.admit() == Verdict.ADMITTED) {
                ok++;
            }
        }
        return ok;
    }

    @Test
    void should_let_a_token_bucket_pass_a_full_burst_then_one_per_refilled_token() {
        at(5_000);
        RateLimiter l = limiter(RateLimitModel.TOKEN_BUCKET, 10);
        assertThat(admittedOf(l, 15)).isEqualTo(10);
        at(5_099);
        assertThat(l.admit()).isEqualTo(Verdict.RATE_LIMITED);
        at(5_100);
        assertThat(l.admit()).isEqualTo(Verdict.ADMITTED);
        assertThat(l.admit()).isEqualTo(Verdict.RATE_LIMITED);
    }

    @Test
    void should_reset_a_fixed_window_at_each_wall_clock_second() {
        at(7_990);
        RateLimiter l = limiter(RateLimitModel.FIXED_WINDOW, 10);
        assertThat(admittedOf(l, 12)).isEqualTo(10);
        at(7_999);
        assertThat(l.admit()).isEqualTo(Verdict.RATE_LIMITED);
        at(8_000); // a new wall-clock second: 10 more pass, 20 within 10 ms
        assertThat(admittedOf(l, 12)).isEqualTo(10);
        at(8_999);
        assertThat(l.admit()).isEqualTo(Verdict.RATE_LIMITED);
    }

    @Test
    void should_refuse_in_a_sliding_window_when_the_limit_was_admitted_in_the_last_1000_ms() {
        at(0);
        RateLimiter l = limiter(RateLimitModel.SLIDING_WINDOW, 10);
        for (int i = 0; i < 10; i++) {
            at(100L * i);
            assertThat(l.admit()).as("request at %d ms", 100 * i).isEqualTo(Verdict.ADMITTED);
        }
        at(999); // the one of 0 ms is still inside (999 - 0 < 1000)
        assertThat(l.admit()).isEqualTo(Verdict.RATE_LIMITED);
        at(1_000);
        assertThat(l.admit()).isEqualTo(Verdict.ADMITTED);
        at(1_099); // refused requests consumed nothing: the one of 100 ms is the only one leaving
        assertThat(l.admit()).isEqualTo(Verdict.RATE_LIMITED);
        at(1_100);
        assertThat(l.admit()).isEqualTo(Verdict.ADMITTED);
    }

    @Test
    void should_punish_one_bunched_request_only_under_the_strict_sliding_window() {
        // evenly spaced at exactly 100 ms (50 ms into each wall-clock second), except that request 10
        // arrives 1 ms early (scheduling jitter)
        for (RateLimitModel model : RateLimitModel.values()) {
            at(10_000);
            RateLimiter l = limiter(model, 10);
            int refused = 0;
            for (int i = 0; i <= 20; i++) {
                at(10_050 + 100L * i - (i == 10 ? 1 : 0));
                if (l.admit() != Verdict.ADMITTED) {
                    refused++;
                }
            }
            assertThat(refused).as(model.name()).isEqualTo(model == RateLimitModel.SLIDING_WINDOW ? 1 : 0);
        }
    }

    @Test
    void should_refuse_the_weekly_quota_as_limit_exceeded_under_every_model() {
        for (RateLimitModel model : RateLimitModel.values()) {
            at(0);
            RateLimiter l = new RateLimiter(model, 10, 3, nanos::get, () -> nanos.get() / MS);
            assertThat(admittedOf(l, 3)).isEqualTo(3);
            at(2_000);
            assertThat(l.admit()).as(model.name()).isEqualTo(Verdict.QUOTA_EXHAUSTED);
        }
    }

    @Test
    void should_parse_the_model_option() {
        assertThat(RateLimitModel.parse("sliding-window")).isEqualTo(RateLimitModel.SLIDING_WINDOW);
        assertThat(RateLimitModel.parse("FIXED_WINDOW")).isEqualTo(RateLimitModel.FIXED_WINDOW);
        assertThat(RateLimitModel.TOKEN_BUCKET.option()).isEqualTo("token-bucket");
        assertThatThrownBy(() -> RateLimitModel.parse("leaky")).hasMessageContaining("leaky");
        SimulatorConfig c = SimulatorMain.parse(new String[] {"--rate-limit-model=fixed-window", "--fail-pages-above=25"}).config();
        assertThat(c.rateLimitModel()).isEqualTo(RateLimitModel.FIXED_WINDOW);
        assertThat(c.failPagesAbove()).isEqualTo(25);
        assertThat(SimulatorConfig.defaults().rateLimitModel()).isEqualTo(RateLimitModel.TOKEN_BUCKET);
        assertThat(SimulatorConfig.defaults().failPagesAbove()).isZero();
    }

    @Test
    void should_answer_429_too_many_requests_with_or_without_retry_after_under_the_sliding_window() {
        for (Integer retryAfter : new Integer[] {null, 1}) {
            try (ClariSimulator sim = ClariSimulator.start(SimulatorConfig.builder().callCount(5).rateLimitPerSecond(2)
                    .rateLimitModel(RateLimitModel.SLIDING_WINDOW).retryAfterSeconds(retryAfter).build())) {
                SimHttp http = new SimHttp(sim);
                SimHttp.Resp last = null;
                for (int i = 0; i < 3 && (last == null || last.status() == 200); i++) {
                    last = http.get("/users");
                }
                assertThat(last.status()).isEqualTo(429);
                assertThat(last.body()).isEqualTo("{\"message\":\"Too Many Requests\"}");
                assertThat(last.headers().firstValue("Retry-After"))
                        .isEqualTo(retryAfter == null ? java.util.Optional.empty() : java.util.Optional.of("1"));
            }
        }
    }

    @Test
    void should_fail_calls_pages_above_the_configured_size_with_502() {
        try (ClariSimulator sim = ClariSimulator.start(SimulatorConfig.builder().callCount(60).failPagesAbove(25).build())) {
            SimHttp http = new SimHttp(sim);
            assertThat(http.get("/calls?limit=100").status()).isEqualTo(502);
            assertThat(http.get("/calls?limit=26").status()).isEqualTo(502);
            SimHttp.Resp ok = http.get("/calls?limit=25");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.json().path("calls").size()).isEqualTo(25);
            assertThat(http.get("/users").status()).isEqualTo(200);
        }
    }
}
