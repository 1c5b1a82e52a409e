package dev.clarisync.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.SettingsSource;
import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 29, part 3: {@code report.serve=true} makes the {@code run} service serve the dashboard of its last sync at
 * {@code /dashboard} on the management port; off (the default) that path is not there. The service is booted in process
 * with the real route files and the management server of {@code run} ({@link dev.clarisync.config.CamelMainSettings#of}),
 * against the simulator, and asked over loopback HTTP.
 */
class DashboardServeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DATA = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dir;

    @Test
    void should_serve_the_latest_dashboard_after_each_sync_and_nothing_before_the_first() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(40).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            int port = freePort();
            Main main = CamelKStyleBootTest.start(service(sim, config, port, "true"));
            try {
                HttpResponse<String> before = get(port, "/dashboard");
                assertThat(before.statusCode()).isEqualTo(503);
                assertThat(before.body()).isEqualTo("no dashboard yet: it is written when the first sync ends\n");

                assertThat(ReadWhileRunningTest.syncAll(main).get("default").ok()).isTrue();
                HttpResponse<String> first = get(port, "/dashboard");
                assertThat(first.statusCode()).isEqualTo(200);
                assertThat(first.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
                assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-store");
                assertThat(first.headers().map()).doesNotContainKeys("user-agent", "host"); // the request is not echoed
                assertThat(first.headers().map().keySet()).noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("camel"));
                assertThat(totals(first.body()).path("calls").asLong()).isEqualTo(40);

                sim.data().addCalls(3);
                assertThat(ReadWhileRunningTest.syncAll(main).get("default").ok()).isTrue();
                HttpResponse<String> second = get(port, "/dashboard");
                assertThat(second.statusCode()).isEqualTo(200);
                assertThat(second.body()).isNotEqualTo(first.body());
                assertThat(totals(second.body()).path("calls").asLong()).isEqualTo(43);

                // nothing but the page: no other method, no other workspace, and the probes are unchanged beside it
                HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri(port, "/dashboard"))
                        .POST(HttpRequest.BodyPublishers.ofString("SELECT 1")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(post.statusCode()).isEqualTo(405);
                assertThat(get(port, "/dashboard/acme").statusCode()).isEqualTo(404);
                assertThat(get(port, "/observe/health/live").statusCode()).isEqualTo(200);
            } finally {
                main.stop();
            }
        }
    }

    @Test
    void should_not_serve_the_dashboard_unless_asked() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(10).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            int port = freePort();
            Main main = CamelKStyleBootTest.start(service(sim, config, port, "false"));
            try {
                assertThat(ReadWhileRunningTest.syncAll(main).get("default").ok()).isTrue();
                assertThat(dir.resolve("service-report.html")).as("the service still writes it").exists();
                assertThat(get(port, "/observe/health/live").statusCode()).as("the management server is up").isEqualTo(200);
                assertThat(get(port, "/dashboard").statusCode()).isEqualTo(404);
            } finally {
                main.stop();
            }
        }
    }

    // ---- helpers

    /** The run service's settings and Camel properties (management server on {@code port}), without the schedule. */
    private Properties service(ClariSimulator sim, SimulatorConfig config, int port, String serve) {
        Map<String, String> cli = Map.of(
                "report.out", dir.resolve("service-report.html").toString(),
                "report.serve", serve,
                "management.port", Integer.toString(port),
                "clari.api.base-url", sim.baseUrl().toString(),
                "clari.api.key", config.apiKey(),
                "clari.api.password", config.apiPassword(),
                "clari.api.rate-limit", "500",
                "clari.sync.start-date", "2015-01-01",
                "warehouse.url", "jdbc:duckdb:" + dir.resolve("w.duckdb"));
        ConnectorSettings settings = ConnectorSettings.from(SettingsSource.resolve(cli, Map.of(), dir), true);
        Properties p = new Properties();
        p.putAll(dev.clarisync.config.CamelMainSettings.of(settings, true));
        p.putAll(cli);
        p.put("camel.main.routes-reload-enabled", "false");
        // no Quartz trigger and no sync at start: the test fires the schedule's target itself
        p.put("clari.internal.scheduled", "false");
        p.put("clari.internal.sync-on-start", "false");
        return p;
    }

    private static JsonNode totals(String html) throws Exception {
        Matcher m = DATA.matcher(html);
        assertThat(m.find()).as("the dashboard's data block").isTrue();
        return JSON.readTree(m.group(1)).path("totals");
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
