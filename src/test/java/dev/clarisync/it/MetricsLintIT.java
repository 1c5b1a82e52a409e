package dev.clarisync.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promtool check metrics} (Debian's {@code prometheus} package; .ci/run installs it) on real scrapes of the
 * service's {@code /observe/metrics}: before the first sync and after one, with zero findings, and every metric the
 * docs/operations.md documents present from the first scrape.
 */
class MetricsLintIT {
    static final List<String> DOCUMENTED = List.of("clari_sync_runs_total", "clari_sync_last_success_timestamp_seconds",
            "clari_sync_last_duration_seconds", "clari_rows_written_total", "clari_api_requests_total", "clari_api_retries_total",
            "clari_calls_seen_total", "clari_calls_changed_total", "clari_cursor_lag_seconds", "clari_quota_remaining_requests",
            "clari_details_backlog_calls", "clari_schema_changes", "clari_text_values_cleaned_total");

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void should_pass_promtool_with_every_documented_metric_from_the_first_scrape() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(20).build();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            // no sync at start: the first scrape is what Prometheus sees before anything happened
            Process service = JarProcess.start(dir, List.of("-Xmx256m"),
                    Map.of("CLARI_API_KEY", config.apiKey(), "CLARI_API_PASSWORD", config.apiPassword()),
                    "run", "--clari.api.base-url=" + sim.baseUrl(), "--warehouse.url=jdbc:duckdb:" + dir.resolve("w.duckdb"),
                    "--clari.sync.start-date=2015-01-01", "--management.port=" + port, "--clari.sync.run-on-start=false",
                    "--clari.sync.schedule=0/2 * * * * ?", "--routes.dir=" + Path.of("routes").toAbsolutePath());
            try {
                String first = awaitScrape(port, 60);
                assertThat(sim.requests().total()).as("scraped before any sync").isZero();
                for (String metric : DOCUMENTED) {
                    assertThat(first).as(metric).containsPattern("(?m)^" + metric + "[{ ]");
                }
                assertThat(first).contains("clari_api_retries_total 0.0");
                assertThat(promtool(first)).as("promtool on the first scrape").isEmpty();

                ConcurrencyAndSecretsIT.waitForLog(dir.resolve("stderr.log"), "succeeded in", 120);
                String after = get(port).body();
                assertThat(after).contains("camel_route_policy_seconds_count{camel_context=\"clari-copilot-connector\"");
                assertThat(promtool(after)).as("promtool after a sync").isEmpty();
            } finally {
                service.destroy();
                service.waitFor(60, TimeUnit.SECONDS);
                service.destroyForcibly();
            }
        }
    }

    /** promtool's findings on {@code exposition}, one per line; empty when it has none. */
    static String promtool(String exposition) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool is not installed: install Debian's prometheus package (.ci/run does)", e);
        }
        p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private String awaitScrape(int port, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = get(port);
                if (r.statusCode() == 200 && r.body().contains("clari_")) {
                    return r.body();
                }
            } catch (IOException notUpYet) {
                // the management server starts with the service
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no metrics on port " + port + " within " + seconds + " s");
    }

    private HttpResponse<String> get(int port) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
