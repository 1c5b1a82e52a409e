package dev.clarisync.sim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-second rate limit and the weekly quota. */
class LimitsTest {

    @Test
    void should_answer_429_past_the_rate_limit_and_report_the_peak_second() throws InterruptedException {
        try (ClariSimulator sim = ClariSimulator.start(SimulatorConfig.builder().callCount(10).rateLimitPerSecond(5).build())) {
            SimHttp http = new SimHttp(sim);
            http.get("/users"); // warm up the connection so the burst below fits in one second
            Thread.sleep(1100);
            sim.requests().reset();

            List<SimHttp.Resp> burst = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < 15; i++) {
                burst.add(http.get("/calls?limit=1"));
            }
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;

            long ok = burst.stream().filter(r -> r.status() == 200).count();
            List<SimHttp.Resp> limited = burst.stream().filter(r -> r.status() == 429).toList();
            assertThat(ok).isLessThanOrEqualTo(5 * (1 + elapsedMs / 1000));
            assertThat(limited).isNotEmpty();
            assertThat(limited.get(0).body()).isEqualTo("{\"message\":\"Too Many Requests\"}");
            assertThat(limited.get(0).headers().firstValue("Retry-After")).isEmpty();
            assertThat(sim.requests().tooManyRequests()).isEqualTo(limited.size());
            assertThat(sim.requests().total()).isEqualTo(15);
            if (elapsedMs < 1000) {
                assertThat(sim.requests().maxInAnySecond()).isEqualTo(15);
            }
            assertThat(sim.requests().maxInAnySecond()).isGreaterThan(5);

            Thread.sleep(1100); // rejected requests do not consume the window: a pause is enough
            assertThat(http.get("/calls?limit=1").status()).isEqualTo(200);
        }
    }

    /**
     * A gateway counts a request when it arrives and refuses it at once; only an admitted request takes the endpoint's
     * answer time. (Admitting after the answer time let its jitter bunch evenly spaced requests into 429s.)
     */
    @Test
    void should_refuse_at_arrival_and_answer_the_admitted_after_the_answer_time() throws Exception {
        try (ClariSimulator sim = ClariSimulator.start(SimulatorConfig.builder().callCount(5).rateLimitPerSecond(1)
                .latencyMillis("/users", 2_000).build())) {
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(sim.baseUrl() + "/users"))
                    .header("X-Api-Key", sim.config().apiKey()).header("X-Api-Password", sim.config().apiPassword()).build();
            // two at once against a limit of one a second: whichever arrives second is refused
            var a = client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            var b = client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            Object first = java.util.concurrent.CompletableFuture.anyOf(a, b).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(((java.net.http.HttpResponse<?>) first).statusCode()).as("the refusal comes back first").isEqualTo(429);
            var admitted = first == a.getNow(null) ? b : a;
            assertThat(admitted.isDone()).as("the admitted request is still being answered").isFalse();
            assertThat(admitted.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void should_send_retry_after_when_configured() {
        try (ClariSimulator sim = ClariSimulator.start(SimulatorConfig.builder().callCount(5)
                .rateLimitPerSecond(1).retryAfterSeconds(2).build())) {
            SimHttp http = new SimHttp(sim);
            SimHttp.Resp last = null;
            for (int i = 0; i < 3; i++) {
                last = http.get("/users");
            }
            assertThat(last.status()).isEqualTo(429);
            assertThat(last.headers().firstValue("Retry-After")).hasValue("2");
        }
    }

    @Test
    void should_answer_limit_exceeded_when_the_weekly_quota_is_used_up() {
        try (ClariSimulator sim = ClariSimulator.start(SimulatorConfig.builder().callCount(5).weeklyQuota(3).build())) {
            SimHttp http = new SimHttp(sim);
            for (int i = 0; i < 3; i++) {
                assertThat(http.get("/calls").status()).isEqualTo(200);
            }
            SimHttp.Resp over = http.get("/users");
            assertThat(over.status()).isEqualTo(429);
            assertThat(over.body()).isEqualTo("{\"message\":\"Limit Exceeded\"}");
            assertThat(sim.quotaUsed()).isEqualTo(3);
            assertThat(sim.requests().tooManyRequests()).isEqualTo(1);

            sim.resetQuota();
            assertThat(http.get("/users").status()).isEqualTo(200);
        }
    }

    @Test
    void should_count_weeks_from_sunday_midnight_utc() {
        long saturday = java.time.Instant.parse("2025-06-14T23:59:59.999Z").toEpochMilli();
        long sunday = java.time.Instant.parse("2025-06-15T00:00:00Z").toEpochMilli();
        long nextSaturday = java.time.Instant.parse("2025-06-21T12:00:00Z").toEpochMilli();
        assertThat(RateLimiter.sundayWeek(sunday)).isEqualTo(RateLimiter.sundayWeek(saturday) + 1);
        assertThat(RateLimiter.sundayWeek(nextSaturday)).isEqualTo(RateLimiter.sundayWeek(sunday));
    }
}
