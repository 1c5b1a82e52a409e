package dev.clarisync.sim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Command-line parsing of the stand-alone simulator. */
class SimulatorMainTest {

    @Test
    void should_map_every_option_onto_the_configuration() {
        SimulatorMain.Parsed p = SimulatorMain.parse(new String[] {"--port=9999", "--calls=1000", "--seed=5",
            "--rate-limit=10", "--max-skip=500", "--error-rate=0.05", "--key=k", "--password=p", "--days=30",
            "--users=20", "--weekly-quota=100000", "--retry-after=1", "--latency=3"});
        SimulatorConfig c = p.config();
        assertThat(c.port()).isEqualTo(9999);
        assertThat(c.callCount()).isEqualTo(1000);
        assertThat(c.seed()).isEqualTo(5);
        assertThat(c.rateLimitPerSecond()).isEqualTo(10);
        assertThat(c.maxSkip()).isEqualTo(500);
        assertThat(p.errorRate()).isEqualTo(0.05);
        assertThat(c.apiKey()).isEqualTo("k");
        assertThat(c.apiPassword()).isEqualTo("p");
        assertThat(java.time.Duration.between(c.start(), c.end()).toDays()).isEqualTo(30);
        assertThat(c.userCount()).isEqualTo(20);
        assertThat(c.weeklyQuota()).isEqualTo(100_000);
        assertThat(c.retryAfterSeconds()).isEqualTo(1);
        assertThat(c.latencyMillis()).isEqualTo(3);
    }

    @Test
    void should_use_defaults_without_options_and_reject_unknown_ones() {
        SimulatorConfig c = SimulatorMain.parse(new String[0]).config();
        assertThat(c.callCount()).isEqualTo(300);
        assertThat(c.apiKey()).isEqualTo("sim-key");
        assertThat(c.port()).isZero();
        assertThat(SimulatorMain.parse(new String[] {"--help"})).isNull();
        assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--colour=red"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--colour");
        assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--calls=many"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--calls=many");
    }

    @Test
    void should_print_request_counts_as_one_stats_line() {
        assertThat(SimulatorMain.parse(new String[] {"--stats-file=/tmp/x.txt"}).statsFile()).isEqualTo("/tmp/x.txt");
        assertThat(SimulatorMain.parse(new String[0]).statsFile()).isNull();
        RequestLog log = new RequestLog();
        log.arrived("/calls");
        log.began();
        log.byKey("key-a");
        log.answered("/calls", 200);
        log.arrived("/call-details");
        log.began();
        log.byKey("key-b");
        log.answered("/call-details", 429);
        log.ended();
        log.arrived("/call-details");
        log.byKey("key-b");
        log.answered("/call-details", 200);
        assertThat(SimulatorMain.statsLine(log))
                .matches("sim-stats total=3 rate_per_second=[0-9]+\\.[0-9]{2} max_in_any_second=3 max_in_flight=2"
                        + " served_per_second=[0-9]+\\.[0-9]{2} details_served_per_second=0\\.00 path./call-details=2 path./calls=1 status.200=2 status.429=1"
                        + " key.key-a=1 key.key-b=2");
        log.arrived("/call-details");
        log.answered("/call-details", 200);
        assertThat(log.servedPerSecond("/call-details")).as("two served details answers span a rate").isPositive();
        assertThat(log.servedPerSecond("/calls")).as("one answer spans none").isZero();
    }

    @Test
    void should_parse_answer_times_per_path_with_jitter_and_further_credentials() {
        SimulatorMain.Parsed p = SimulatorMain.parse(new String[] {"--latency=5", "--latency-path=/call-details:700",
                "--latency-jitter=100", "--also-accept=key-b:pw:b"});
        SimulatorConfig c = p.config();
        assertThat(c.answerTimeMillis("/calls", bound -> 0)).isEqualTo(5);
        assertThat(c.answerTimeMillis("/call-details", bound -> 0)).isEqualTo(700);
        assertThat(c.answerTimeMillis("/call-details", bound -> bound - 1)).isEqualTo(800);
        assertThat(p.alsoAccept()).containsExactly(java.util.Map.entry("key-b", "pw:b"));
        assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--latency-path=700"})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_validate_the_configuration() {
        assertThatThrownBy(() -> SimulatorConfig.builder().callCount(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callCount");
        assertThatThrownBy(() -> SimulatorConfig.builder().span(Instant("2025-02-01"), Instant("2025-01-01")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start");
    }

    private static java.time.Instant Instant(String day) {
        return java.time.Instant.parse(day + "T00:00:00Z");
    }
}
