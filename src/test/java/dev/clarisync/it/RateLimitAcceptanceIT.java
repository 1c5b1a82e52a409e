package dev.clarisync.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.sync.StreamCatalog;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As a new user would run it against the real API's limits: the simulator enforces 10 requests per
 * second (429 past that) and the connector runs with its defaults (clari.api.rate-limit=10).
 */
class RateLimitAcceptanceIT {
    @TempDir
    Path dir;

    @Test
    void should_hold_the_rate_limit_without_429s_and_use_at_least_95_percent_of_it() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(300).rateLimitPerSecond(10).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            JarProcess.Run r = sync(sim);
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(sim.requests().tooManyRequests()).as("429s").isZero();
            // use of the limit while the connector talks to the API: first to last request, on the server's clock
            Matcher m = Pattern.compile("sync ok — ([\\d.]+) s, (\\d+) requests").matcher(r.out());
            assertThat(m.find()).as(r.out()).isTrue();
            assertThat(Long.parseLong(m.group(2))).isEqualTo(sim.requests().total());
            double rate = sim.requests().ratePerSecond();
            System.out.printf("rate-limited sync: %d requests, %.2f requests/s between first and last, whole run %s s, %d 429s%n",
                    sim.requests().total(), rate, m.group(1), sim.requests().tooManyRequests());
            assertThat(rate).as("requests per second").isGreaterThanOrEqualTo(9.5);
            assertDetailsComplete(sim);
        }
    }

    @Test
    void should_complete_equal_to_the_api_through_5_percent_server_errors_at_10_per_second() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(300).rateLimitPerSecond(10).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            sim.faults().randomServerErrors(0.05, 11);
            JarProcess.Run r = sync(sim, "--clari.api.retry-delay=PT0.2S");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(sim.requests().countStatus(500) + sim.requests().countStatus(502) + sim.requests().countStatus(503)
                    + sim.requests().countStatus(504)).as("the simulator did inject errors").isPositive();
            assertThat(new HashSet<>(Warehouses.strings(db(), "SELECT id FROM calls"))).isEqualTo(new HashSet<>(sim.data().callIds()));
            assertThat(Warehouses.scalar(db(), "SELECT COUNT(*) FROM calls")).isEqualTo(300);
            assertDetailsComplete(sim);
        }
    }

    private void assertDetailsComplete(ClariSimulator sim) throws Exception {
        List<String> ready = sim.data().callIds().stream()
                .filter(id -> StreamCatalog.READY.contains(sim.data().listItem(id).path("status").asText())).toList();
        assertThat(new HashSet<>(Warehouses.strings(db(), "SELECT id FROM call_details"))).isEqualTo(new HashSet<>(ready));
        long turns = ready.stream().mapToLong(id -> sim.data().details(id).path("transcript").size()).sum();
        assertThat(Warehouses.scalar(db(), "SELECT COUNT(*) FROM call_details__transcript")).isEqualTo(turns);
    }

    private Path db() {
        return dir.resolve("w.duckdb");
    }

    private JarProcess.Run sync(ClariSimulator sim, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("sync", "--clari.api.base-url=" + sim.baseUrl(),
                "--warehouse.url=jdbc:duckdb:" + db(), "--clari.sync.start-date=2015-01-01"));
        args.addAll(List.of(extra));
        return JarProcess.run(dir, List.of("-Xmx256m"),
                Map.of("CLARI_API_KEY", sim.config().apiKey(), "CLARI_API_PASSWORD", sim.config().apiPassword()), 300,
                args.toArray(String[]::new));
    }
}
