package dev.clarisync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first hour with the packaged jar, as the README tells a new user: demo, then sql and report; a typo; check offline. */
class FirstHourIT {
    @TempDir
    Path dir;

    @Test
    void should_query_and_report_the_demo_right_after_it() throws Exception {
        JarProcess.Run demo = JarProcess.run(dir, List.of(), Map.of(), 180, "demo", "--demo.calls=20");
        assertThat(demo.exitCode()).as(demo.err()).isZero();

        JarProcess.Run sql = JarProcess.run(dir, List.of(), Map.of(), 60, "sql", "SELECT count(*) AS calls FROM calls", "--format=csv");
        assertThat(sql.exitCode()).as(sql.err()).isZero();
        assertThat(sql.out()).isEqualTo("calls\r\n20\r\n");
        assertThat(sql.err()).contains("reading the demo's, " + dir.resolve("data/demo.duckdb").toRealPath());

        JarProcess.Run report = JarProcess.run(dir, List.of(), Map.of(), 60, "report");
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(dir.resolve("data/report.html")).exists();
        assertThat(dir.resolve("data/clari.duckdb")).doesNotExist();
    }

    @Test
    void should_stop_a_typo_and_answer_check_quickly_when_the_api_is_not_there() throws Exception {
        JarProcess.Run typo = JarProcess.run(dir, List.of(), Map.of(), 60, "sync", "--clari.sync.lookbak=P1D");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err().strip()).isEqualTo("error: configuration: unknown key clari.sync.lookbak (did you mean clari.sync.lookback?)");

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        long start = System.nanoTime();
        JarProcess.Run check = JarProcess.run(dir, List.of(), Map.of("CLARI_API_KEY", "k", "CLARI_API_PASSWORD", "p"), 60,
                "check", "--clari.api.base-url=http://127.0.0.1:" + closed, "--warehouse.url=jdbc:duckdb:" + dir.resolve("w.duckdb"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(millis).as("check, JVM start included, took %d ms", millis).isLessThan(10_000);
        assertThat(check.err().lines().filter(l -> l.startsWith("error:")).toList())
                .containsExactly("error: cannot reach the Clari API at http://127.0.0.1:" + closed
                        + " (connection refused): check clari.api.base-url and the network (proxy, firewall, DNS)");
    }
}
