package dev.clarisync.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As a new user would run it: the packaged jar against an account larger than the API's offset cap.
 * The simulator enforces the real 10,000 skip cap; the connector must split windows to land everything.
 * A long scenario (about two minutes): the benchmark runs it ({@code bench/run.sh}, {@code BENCH_ACCEPTANCE=1}), not
 * CI, which keeps the window splitting under a small cap in {@code CallsSyncTest}.
 */
@org.junit.jupiter.api.Tag("bench")
class BackfillAcceptanceIT {
    @TempDir
    Path dir;

    @Test
    void should_backfill_25000_calls_over_two_years_exactly_once_and_then_change_nothing() throws Exception {
        Instant end = Instant.now();
        SimulatorConfig config = SimulatorConfig.builder().callCount(25_000).span(end.minus(Duration.ofDays(730)), end).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            JarProcess.Run first = sync(sim, List.of("-Xmx256m"));
            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(sim.requests().countStatus(400)).as("never paged past the offset cap").isZero();
            assertThat(ids()).hasSize(25_000).isEqualTo(new HashSet<>(sim.data().callIds()));
            assertThat(count("SELECT COUNT(*) FROM calls")).isEqualTo(25_000);

            JarProcess.Run second = sync(sim, List.of("-Xmx256m"));
            assertThat(second.exitCode()).as(second.err()).isZero();
            assertThat(second.out()).contains("rows written: none (nothing changed)");
            assertThat(count("SELECT COUNT(*) FROM calls")).isEqualTo(25_000);
        }
    }

    @Test
    void should_sync_100000_calls_in_a_256_mb_heap() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(100_000).days(365).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            JarProcess.Run r = sync(sim, List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"));
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(count("SELECT COUNT(DISTINCT id) FROM calls")).isEqualTo(100_000);
        }
    }

    private JarProcess.Run sync(ClariSimulator sim, List<String> jvm) throws Exception {
        return JarProcess.run(dir, jvm, Map.of("CLARI_API_KEY", sim.config().apiKey(), "CLARI_API_PASSWORD", sim.config().apiPassword()),
                600, "sync", "--clari.api.base-url=" + sim.baseUrl(), "--warehouse.url=jdbc:duckdb:" + dir.resolve("w.duckdb"),
                "--clari.sync.streams=users,calls", "--clari.sync.start-date=2015-01-01", "--clari.api.rate-limit=1000");
    }

    private Set<String> ids() throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("w.duckdb"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM calls")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("w.duckdb"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
