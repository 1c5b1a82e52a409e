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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service (run mode) as an operator sees it: metrics, health, and route files edited while it runs. */
class OperationsIT {
    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void should_expose_metrics_that_match_the_warehouse_and_the_api() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(250).build();
        int port = freePort();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            Path db = dir.resolve("w.duckdb");
            Process service = start(sim, config.apiKey(), config.apiPassword(), db, port, "--clari.api.rate-limit=40");
            try {
                // during the sync: the endpoint answers and counts grow
                awaitMetric(port, "clari_api_requests_total", 5, 60);
                Map<String, Double> during = metrics(port);
                assertThat(sum(during, "clari_api_requests_total")).isPositive();
                ConcurrencyAndSecretsIT.waitForLog(dir.resolve("stderr.log"), "succeeded in", 120);
                Map<String, Double> after = metrics(port);
                assertThat(sum(after, "clari_api_requests_total")).isEqualTo((double) sim.requests().total());
                assertThat(after.get("clari_sync_runs_total{outcome=\"succeeded\"}")).isEqualTo(1.0);
                assertThat(after.get("clari_details_backlog_calls")).isEqualTo(0.0);
                assertThat(after.get("clari_sync_last_success_timestamp_seconds")).isPositive();
                assertThat(after.get("clari_cursor_lag_seconds")).isBetween(0.0, 600.0);
                assertThat(after.get("clari_quota_remaining_requests")).isEqualTo(100_000.0 - 500 - sim.requests().total());
                assertThat(after.keySet()).anyMatch(k -> k.startsWith("camel_exchanges_total")); // Camel's own route metrics
                service.destroy();
                assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
            } finally {
                service.destroyForcibly();
            }
            Map<String, Double> last = lastScrape;
            for (String table : List.of("calls", "calls__users", "call_details", "call_details__transcript", "users")) {
                assertThat(last.get("clari_rows_written_total{table=\"" + table + "\"}")).as(table)
                        .isEqualTo((double) Warehouses.scalar(db, "SELECT COUNT(*) FROM " + table));
            }
        }
    }

    @Test
    void should_turn_not_ready_on_rejected_credentials_and_ready_once_they_work() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(30).build();
        int port = freePort();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            sim.acceptCredentials(config.apiKey(), "rotated-password");
            Process service = start(sim, config.apiKey(), config.apiPassword(), dir.resolve("w.duckdb"), port,
                    "--clari.sync.schedule=0/3 * * * * ?");
            try {
                // Camel's own checks are briefly DOWN while routes start: wait for ours, with its reason
                awaitReady(port, 503, "Clari rejected the credentials", 60);
                assertThat(get(port, "/observe/health/live").statusCode()).isEqualTo(200);

                sim.acceptCredentials(config.apiKey(), config.apiPassword()); // the admin restores the key the service uses
                awaitReady(port, 200, "UP", 60);
            } finally {
                service.destroy();
                service.waitFor(60, TimeUnit.SECONDS);
                service.destroyForcibly();
            }
        }
    }

    @Test
    void should_apply_an_edited_route_and_reject_a_broken_one_while_running() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(10).build();
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        int port = freePort();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            Process service = start(sim, config.apiKey(), config.apiPassword(), dir.resolve("w.duckdb"), port,
                    "--clari.sync.schedule=0/2 * * * * ?", "--clari.sync.streams=users", "--routes.dir=" + routes);
            try {
                Path log = dir.resolve("stderr.log");
                ConcurrencyAndSecretsIT.waitForLog(log, "users: 12 users", 60);
                Path users = routes.resolve("clari-stream.camel.yaml");
                String original = Files.readString(users);
                Files.writeString(users, original.replace("              - to: direct:clari-api\n",
                        "              - to: direct:clari-api\n              - log: \"EDITED LIVE users route\"\n"));
                ConcurrencyAndSecretsIT.waitForLog(log, "EDITED LIVE users route", 60);

                Files.writeString(users, Files.readString(users) + "\n  - this: is: [not valid yaml\n");
                ConcurrencyAndSecretsIT.waitForLog(log, "Error reloading routes from file: " + users, 60);
                int before = count(Files.readString(log), "EDITED LIVE users route");
                Thread.sleep(5_000);
                assertThat(count(Files.readString(log), "EDITED LIVE users route"))
                        .as("the last good version keeps running after a broken edit").isGreaterThan(before);
                assertThat(get(port, "/observe/health/ready").statusCode()).isEqualTo(200);
            } finally {
                service.destroy();
                service.waitFor(60, TimeUnit.SECONDS);
                service.destroyForcibly();
            }
        }
    }

    private Map<String, Double> lastScrape = Map.of();

    private Process start(ClariSimulator sim, String key, String password, Path db, int port, String... extra) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--clari.api.base-url=" + sim.baseUrl(),
                "--warehouse.url=jdbc:duckdb:" + db, "--clari.sync.start-date=2015-01-01", "--management.port=" + port,
                "--routes.dir=" + Path.of("routes").toAbsolutePath()));
        args.addAll(List.of(extra));
        return JarProcess.start(dir, List.of("-Xmx256m"), Map.of("CLARI_API_KEY", key, "CLARI_API_PASSWORD", password),
                args.toArray(String[]::new));
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, Double> metrics(int port) throws IOException, InterruptedException {
        Map<String, Double> out = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^(\\w+(?:\\{[^}]*})?) (\\S+)$").matcher(get(port, "/observe/metrics").body());
        while (m.find()) {
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        lastScrape = out;
        return out;
    }

    private static double sum(Map<String, Double> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{")).mapToDouble(Map.Entry::getValue).sum();
    }

    private void awaitMetric(int port, String name, double atLeast, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                if (sum(metrics(port), name) >= atLeast) {
                    return;
                }
            } catch (IOException notUpYet) {
                // the management server starts with the service
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " never reached " + atLeast + ": " + Files.readString(dir.resolve("stderr.log")));
    }

    private void awaitReady(int port, int status, String bodyPart, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String last = "nothing";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = get(port, "/observe/health/ready");
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == status && r.body().contains(bodyPart)) {
                    return;
                }
            } catch (IOException notUpYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("readiness answered " + last + ", not " + status + " with '" + bodyPart + "': "
                + Files.readString(dir.resolve("stderr.log")));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
