package dev.clarisync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.SettingsSource;
import dev.clarisync.ops.ConnectorMetrics;
import dev.clarisync.ops.MetricsNaming;
import dev.clarisync.sync.StreamCatalog;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operators' kit in {@code k8s/monitoring/}: the PrometheusRule's alerts pass {@code promtool test rules}
 * ({@code src/test/promtool/clari-rules.test.yaml}; promtool is Debian's prometheus package, which .ci/run installs),
 * each has a summary and a runbook, every metric the rules and the Grafana dashboard query is one the connector
 * exports (a real scrape of {@link ConnectorMetrics} through {@link MetricsNaming}), the dashboard's queries parse, and
 * the PodMonitor scrapes the Deployment's management port. Their schemas: {@link KubernetesSchemaTest}.
 */
class MonitoringKitTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Path.of("k8s/monitoring");
    private static final Pattern METRIC = Pattern.compile("\\b(clari_[a-z_]+)\\b");

    @Test
    void should_pass_the_promtool_unit_tests_of_every_alert(@TempDir Path work) throws Exception {
        JsonNode rule = YAML.readTree(DIR.resolve("prometheusrule.yaml").toFile());
        ObjectNode groups = YAML.createObjectNode();
        groups.set("groups", rule.at("/spec/groups").deepCopy());
        // the unit tests state each alert's summary; the runbooks are checked below, not repeated there
        groups.get("groups").forEach(g -> g.get("rules").forEach(r -> ((ObjectNode) r.get("annotations")).remove("runbook")));
        Files.writeString(work.resolve("clari-rules.yaml"), YAML.writeValueAsString(groups));
        Files.copy(Path.of("src/test/promtool/clari-rules.test.yaml"), work.resolve("clari-rules.test.yaml"));

        String check = promtool(work, "check", "rules", "clari-rules.yaml");
        assertThat(check).contains("SUCCESS: 4 rules found");
        String test = promtool(work, "test", "rules", "clari-rules.test.yaml");
        assertThat(test).contains("SUCCESS");
    }

    @Test
    void should_give_every_alert_a_severity_a_summary_and_a_runbook() throws Exception {
        List<String> names = new ArrayList<>();
        YAML.readTree(DIR.resolve("prometheusrule.yaml").toFile()).at("/spec/groups").forEach(g -> g.get("rules").forEach(r -> {
            String name = r.path("alert").asText();
            names.add(name);
            assertThat(r.at("/labels/severity").asText()).as(name).isIn("info", "warning", "critical");
            assertThat(r.at("/annotations/summary").asText()).as(name).isNotBlank();
            assertThat(r.at("/annotations/runbook").asText()).as(name).hasSizeGreaterThan(80);
        }));
        assertThat(names).containsExactly("ClariSyncStale", "ClariWeeklyQuotaNearlySpent", "ClariDetailsBacklogGrowing",
                "ClariRecordsSetAside");
    }

    @Test
    void should_query_only_metrics_the_connector_exports() throws Exception {
        Set<String> exported = exportedNames();
        Set<String> used = new TreeSet<>();
        used.addAll(metrics(Files.readString(DIR.resolve("prometheusrule.yaml"))));
        for (String expr : dashboardExpressions()) {
            used.addAll(metrics(expr));
        }
        assertThat(used).contains("clari_sync_last_success_timestamp_seconds", "clari_quota_remaining_requests",
                "clari_details_backlog_calls", "clari_records_rejected_total");
        assertThat(exported).containsAll(used);
    }

    @Test
    void should_have_dashboard_queries_that_promtool_parses(@TempDir Path work) throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int i = 0;
        for (String expr : dashboardExpressions()) {
            // the dashboard's variables, as Grafana would fill them in
            String query = expr.replace("$job", ".*");
            rules.append("      - record: dashboard:query").append(i++).append("\n        expr: ")
                    .append(JSON.writeValueAsString(query)).append('\n');
        }
        assertThat(i).isGreaterThanOrEqualTo(12);
        Files.writeString(work.resolve("dashboard-rules.yaml"), rules);
        assertThat(promtool(work, "check", "rules", "dashboard-rules.yaml")).contains("SUCCESS: " + i + " rules found");
    }

    @Test
    void should_scrape_the_management_port_of_the_service_pods() throws Exception {
        JsonNode monitor = YAML.readTree(DIR.resolve("podmonitor.yaml").toFile());
        JsonNode deployment = YAML.readTree(Path.of("k8s/deployment.yaml").toFile());
        JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
        monitor.at("/spec/selector/matchLabels").fields().forEachRemaining(l ->
                assertThat(podLabels.path(l.getKey()).asText()).as(l.getKey()).isEqualTo(l.getValue().asText()));
        JsonNode endpoint = monitor.at("/spec/podMetricsEndpoints/0");
        JsonNode port = deployment.at("/spec/template/spec/containers/0/ports/0");
        assertThat(endpoint.path("port").asText()).isEqualTo(port.path("name").asText());
        assertThat(endpoint.path("path").asText())
                .isEqualTo(deployment.at("/spec/template/metadata/annotations/prometheus.io~1path").asText());
    }

    /**
     * The metric names of a real scrape: every meter of ConnectorMetrics, with the catalog's primed streams as an account
     * primes them, and the lazily registered set-aside counter too.
     */
    private static Set<String> exportedNames() throws IOException {
        PrometheusMeterRegistry registry = MetricsNaming.apply(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        ConnectorMetrics metrics = new ConnectorMetrics(registry, () -> 1, () -> 1, () -> 0);
        Path dir = Files.createTempDirectory("monitoring-kit");
        StreamCatalog.primeMetrics(metrics, StreamCatalog.all(ConnectorSettings.from(SettingsSource.resolve(Map.of(), Map.of(), dir), false)));
        metrics.recordsRejected("call_details", 1);
        metrics.runEnded(true, Duration.ofSeconds(1));
        Set<String> names = new TreeSet<>();
        registry.scrape().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    private static List<String> dashboardExpressions() throws IOException {
        JsonNode dashboard = JSON.readTree(DIR.resolve("grafana-dashboard.json").toFile());
        List<String> out = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> out.add(t.path("expr").asText())));
        return out;
    }

    private static Set<String> metrics(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Runs promtool in {@code dir}; its combined output, after asserting it succeeded. */
    private static String promtool(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("promtool"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("promtool.out");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finishes").isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }
}
