package dev.clarisync.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.EnvNames;
import dev.clarisync.config.SettingsSource;
import dev.clarisync.cli.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Keeps the Kubernetes and Camel K manifests in {@code k8s/} honest against the real application:
 * its {@code application.properties} (keys, the env-var rule, the management port), its {@code routes/}
 * folder, its exit codes, its pom (artifact and driver versions, jar name) and, for the Camel K
 * Integration, the Integration CRD schema (see {@code src/test/resources/camel-k/README.md}).
 * Nothing here talks to a cluster: it parses files and compares them.
 */
class ManifestsTest {
    static final Path K8S = Path.of("k8s");
    static final Path ROUTES = Path.of("routes");
    static final Path APP_PROPERTIES = Path.of("application.properties");
    static final Path POM = Path.of("pom.xml");
    static final Path DOCKERFILE = K8S.resolve("Dockerfile");

    /** Created from the repo's routes/ folder with kubectl (README), so it is named but never committed. */
    static final String ROUTES_CONFIGMAP = "clari-routes";
    /** Environment variables the connector reads that are not settings keys. */
    static final Set<String> EXTRA_ENV = Set.of("CLARI_CONFIG", "JAVA_TOOL_OPTIONS", "LOG_LEVEL", "LOG_FORMAT");
    /** Properties a Camel K Integration may set beyond application.properties: the service switches the
     *  routes read, the configuration class, and the Camel settings the Launcher applies itself. */
    static final Set<String> INTEGRATION_EXTRA_PROPERTIES = Set.of(
            "clari.internal.scheduled", "clari.internal.sync-on-start",
            "camel.main.configuration-classes", "camel.main.name", "camel.main.shutdown-timeout",
            "camel.component.http.automatic-retries-disabled");
    static final String CONFIGURATION_CLASS = "dev.clarisync.camel.ConnectorConfiguration";
    static final String LIVE = "/observe/health/live";
    static final String READY = "/observe/health/ready";
    static final String METRICS = "/observe/metrics";
    /** camel.main.shutdown-timeout of the connector: in-flight work gets this long on SIGTERM. */
    static final int SHUTDOWN_TIMEOUT_SECONDS = 45;
    static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)");

    static List<Doc> docs;
    static Properties app;
    static int managementPort;
    static String pom;

    record Doc(Path file, Map<String, Object> body) {
        String kind() {
            return (String) body.get("kind");
        }

        String name() {
            return (String) map(body.get("metadata")).get("name");
        }
    }

    @BeforeAll
    static void load() throws IOException {
        app = new Properties();
        try (var r = Files.newBufferedReader(APP_PROPERTIES)) {
            app.load(r);
        }
        managementPort = Integer.parseInt(app.getProperty("management.port").trim());
        pom = Files.readString(POM);
        docs = new ArrayList<>();
        for (Path f : manifestFiles()) {
            Load yaml = new Load(LoadSettings.builder().setLabel(f.toString()).build());
            for (Object d : yaml.loadAllFromString(Files.readString(f))) {
                if (d != null) {
                    docs.add(new Doc(f, map(d)));
                }
            }
        }
    }

    static List<Path> manifestFiles() throws IOException {
        try (Stream<Path> s = Files.walk(K8S)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    // ------------------------------------------------------------------ every file

    @Test
    void should_parse_every_manifest_with_apiVersion_kind_and_name() throws IOException {
        assertThat(manifestFiles()).isNotEmpty();
        for (Path f : manifestFiles()) {
            assertThat(docs).as("%s holds at least one document", f).anyMatch(d -> d.file().equals(f));
        }
        for (Doc d : docs) {
            assertThat(d.body().get("apiVersion")).as("%s: apiVersion", d.file()).isInstanceOf(String.class);
            assertThat(d.kind()).as("%s: kind", d.file()).isNotBlank();
            assertThat(d.name()).as("%s: metadata.name", d.file()).isNotBlank();
        }
        assertThat(docs.stream().map(d -> d.kind() + "/" + d.name()))
                .containsExactlyInAnyOrder(
                        "Secret/clari-credentials", "ConfigMap/clari-config", "PersistentVolumeClaim/clari-data",
                        "Service/clari-copilot-connector", "Deployment/clari-copilot-connector",
                        "CronJob/clari-copilot-connector-sync", "CronJob/clari-copilot-connector-sync-sharded",
                        "Integration/clari-copilot-connector",
                        "PrometheusRule/clari-copilot-connector", "PodMonitor/clari-copilot-connector");
    }

    @Test
    void should_not_commit_a_copy_of_the_routes_configmap() {
        // clari-routes is made from routes/ by kubectl; a copy in git would drift from the real routes
        assertThat(docs).noneMatch(d -> d.kind().equals("ConfigMap") && d.name().equals(ROUTES_CONFIGMAP));
        assertThat(readme()).contains("kubectl create configmap " + ROUTES_CONFIGMAP + " --from-file=routes/");
    }

    // ------------------------------------------------------------------ configuration

    @Test
    void should_only_set_environment_variables_the_connector_reads() {
        Set<String> known = app.stringPropertyNames().stream().map(EnvNames::of).collect(Collectors.toSet());
        known.addAll(EXTRA_ENV);
        Map<String, String> seen = new LinkedHashMap<>();
        for (var c : allContainers()) {
            for (Object e : list(c.container().get("env"))) {
                seen.put((String) map(e).get("name"), c.where());
            }
            for (String s : envFromSecrets(c.container())) {
                secretKeys(s).forEach(k -> seen.put(k, c.where() + " (secret " + s + ")"));
            }
            for (Object e : list(c.container().get("envFrom"))) {
                Object ref = map(e).get("configMapRef");
                if (ref != null) {
                    String cm = (String) map(ref).get("name");
                    map(doc("ConfigMap", cm).body().get("data")).keySet()
                            .forEach(k -> seen.put(k, c.where() + " (configmap " + cm + ")"));
                }
            }
        }
        Map<String, Object> camelK = traits();
        for (Object v : list(map(camelK.get("environment")).get("vars"))) {
            seen.put(((String) v).split("=", 2)[0], "Integration environment trait");
        }
        docs.stream().filter(d -> d.kind().equals("Secret"))
                .forEach(d -> secretKeys(d.name()).forEach(k -> seen.put(k, "Secret " + d.name())));
        assertThat(seen).isNotEmpty();
        seen.forEach((name, where) -> assertThat(known)
                .as("%s in %s: no application.properties key maps to it, nor is it one of %s", name, where, EXTRA_ENV)
                .contains(name));
    }

    @Test
    void should_hold_exactly_the_secrets_application_properties_reads_from_the_environment() {
        // application.properties reads secrets as {{env:NAME}}: those names are what the Secret must hold
        Set<String> secretEnv = new TreeSet<>();
        for (String k : app.stringPropertyNames()) {
            Matcher m = ENV_PLACEHOLDER.matcher(app.getProperty(k));
            while (m.find()) {
                secretEnv.add(m.group(1));
            }
        }
        assertThat(secretEnv).containsExactlyInAnyOrder("CLARI_API_KEY", "CLARI_API_PASSWORD", "WAREHOUSE_PASSWORD", "CLARI_API_PROXY", "CLARI_PRIVACY_SALT");
        assertThat(secretKeys("clari-credentials")).containsExactlyInAnyOrderElementsOf(secretEnv);
        Doc secret = doc("Secret", "clari-credentials");
        assertThat(read(secret.file())).contains("EXAMPLE");

        for (var c : allContainers()) {
            assertThat(envFromSecrets(c.container())).as("%s loads the credentials", c.where()).contains("clari-credentials");
            for (Object e : list(c.container().get("env"))) {
                Map<String, Object> env = map(e);
                if (secretEnv.contains(env.get("name"))) {
                    assertThat(env).as("%s: %s must come from a Secret, not a literal value", c.where(), env.get("name"))
                            .doesNotContainKey("value");
                }
            }
        }
        for (Object v : list(map(traits().get("environment")).get("vars"))) {
            assertThat(secretEnv).as("a secret as a literal in the environment trait: %s", v)
                    .doesNotContain(((String) v).split("=", 2)[0]);
        }
    }

    @Test
    void should_override_only_real_settings_in_the_configmap() throws IOException {
        Map<String, Object> data = map(doc("ConfigMap", "clari-config").body().get("data"));
        assertThat(data).containsOnlyKeys("application.properties");
        String text = (String) data.get("application.properties");
        Properties p = new Properties();
        p.load(new StringReader(text));
        assertThat(p.stringPropertyNames()).isNotEmpty();
        for (String key : p.stringPropertyNames()) {
            assertThat(app.stringPropertyNames()).as("clari-config sets %s, which application.properties does not have", key)
                    .contains(key);
            assertThat(app.getProperty(key)).as("%s is a secret: it belongs in clari-credentials", key).doesNotContain("{{env:");
        }
        // every setting carries its comment, like application.properties itself
        String previous = "";
        for (String line : text.lines().map(String::strip).toList()) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                assertThat(previous).as("comment above '%s'", line).startsWith("#");
            }
            previous = line;
        }
    }

    @Test
    void should_give_each_workload_a_configuration_the_connector_accepts(@TempDir Path dir) throws IOException {
        // the real SettingsSource and ConnectorSettings validation, fed what a pod would see
        Path config = dir.resolve("application.properties");
        Files.writeString(config, (String) map(doc("ConfigMap", "clari-config").body().get("data")).get("application.properties"));
        for (var c : List.of(deploymentContainer(), cronJobContainer())) {
            Map<String, String> env = new LinkedHashMap<>(literalEnv(c.container()));
            assertThat(env.get("CLARI_CONFIG")).as("%s: CLARI_CONFIG", c.where()).isNotBlank();
            env.put("CLARI_CONFIG", config.toString());
            // each secret as a user fills it in: the proxy is a URL
            secretKeys("clari-credentials").forEach(k -> env.put(k, k.equals("CLARI_API_PROXY") ? "http://proxy.example:3128" : "from-the-secret"));
            ConnectorSettings s = ConnectorSettings.from(SettingsSource.resolve(Map.of(), env, dir), true);
            assertThat(s.apiKey().isEmpty()).isFalse();
            assertThat(s.managementPort()).isEqualTo(managementPort);
            assertThat(s.schedule()).isEqualTo(configMapProperties().getProperty("clari.sync.schedule"));
            assertThat(s.warehouseUrl()).isEqualTo(env.get("WAREHOUSE_URL"));
            assertThat(s.routesDir()).isEqualTo(env.get("ROUTES_DIR"));
        }

        // Camel K: clari-config plus the Integration's properties (those that are settings)
        Map<String, String> overrides = new LinkedHashMap<>(integrationProperties());
        overrides.keySet().retainAll(app.stringPropertyNames());
        Map<String, String> env = new LinkedHashMap<>(Map.of("CLARI_CONFIG", config.toString()));
        // each secret as a user fills it in: the proxy is a URL
            secretKeys("clari-credentials").forEach(k -> env.put(k, k.equals("CLARI_API_PROXY") ? "http://proxy.example:3128" : "from-the-secret"));
        ConnectorSettings s = ConnectorSettings.from(SettingsSource.resolve(overrides, env, dir), true);
        assertThat(s.warehouseUrl()).isEqualTo(integrationProperties().get("warehouse.url"));
    }

    // ------------------------------------------------------------------ ports and probes

    @Test
    void should_serve_probes_metrics_and_the_service_on_the_management_port() throws IOException {
        Map<String, Object> container = deploymentContainer().container();
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Object p : list(container.get("ports"))) {
            ports.put((String) map(p).get("name"), ((Number) map(p).get("containerPort")).intValue());
        }
        assertThat(ports).containsEntry("management", managementPort);
        Map<String, String> env = literalEnv(container);
        if (env.containsKey("MANAGEMENT_PORT")) {
            assertThat(Integer.parseInt(env.get("MANAGEMENT_PORT"))).isEqualTo(managementPort);
        }

        assertThat(probe(container, "livenessProbe", ports)).isEqualTo(LIVE + " on " + managementPort);
        assertThat(probe(container, "readinessProbe", ports)).isEqualTo(READY + " on " + managementPort);
        if (container.containsKey("startupProbe")) {
            assertThat(probe(container, "startupProbe", ports)).isEqualTo(LIVE + " on " + managementPort);
        }

        Map<String, Object> service = map(doc("Service", "clari-copilot-connector").body().get("spec"));
        assertThat(service.get("type")).isEqualTo("ClusterIP");
        assertThat(list(service.get("ports"))).isNotEmpty().allSatisfy(p -> {
            assertThat(resolvePort(map(p).get("targetPort"), ports)).isEqualTo(managementPort);
        });

        Map<String, Object> annotations = map(at(doc("Deployment", "clari-copilot-connector").body(),
                "spec", "template", "metadata", "annotations"));
        assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", Integer.toString(managementPort))
                .containsEntry("prometheus.io/path", METRICS);

        assertThat(dockerfile()).containsPattern("(?m)^EXPOSE " + managementPort + "$");
    }

    @Test
    void should_select_only_the_service_pods_behind_the_service() {
        Map<String, Object> selector = map(at(doc("Service", "clari-copilot-connector").body(), "spec", "selector"));
        Map<String, Object> deploymentLabels = map(at(doc("Deployment", "clari-copilot-connector").body(),
                "spec", "template", "metadata", "labels"));
        Map<String, Object> cronLabels = map(at(doc("CronJob", "clari-copilot-connector-sync").body(),
                "spec", "jobTemplate", "spec", "template", "metadata", "labels"));
        assertThat(deploymentLabels).containsAllEntriesOf(selector);
        assertThat(cronLabels.entrySet().containsAll(selector.entrySet())).as("the Service must not select CronJob pods").isFalse();
        assertThat(deploymentLabels).containsAllEntriesOf(map(at(doc("Deployment", "clari-copilot-connector").body(),
                "spec", "selector", "matchLabels")));
    }

    // ------------------------------------------------------------------ volumes and names

    @Test
    void should_mount_only_declared_volumes_of_objects_that_exist() {
        Set<String> configMaps = names("ConfigMap");
        configMaps.add(ROUTES_CONFIGMAP);
        Set<String> secrets = names("Secret");
        Set<String> claims = names("PersistentVolumeClaim");
        for (var c : List.of(deploymentContainer(), cronJobContainer())) {
            Map<String, Map<String, Object>> volumes = volumes(c.pod());
            for (Object m : list(c.container().get("volumeMounts"))) {
                assertThat(volumes).as("%s mounts volume %s", c.where(), map(m).get("name")).containsKey((String) map(m).get("name"));
            }
            volumes.forEach((name, v) -> {
                if (v.containsKey("configMap")) {
                    assertThat(configMaps).as("%s volume %s", c.where(), name).contains((String) map(v.get("configMap")).get("name"));
                } else if (v.containsKey("secret")) {
                    assertThat(secrets).as("%s volume %s", c.where(), name).contains((String) map(v.get("secret")).get("secretName"));
                } else if (v.containsKey("persistentVolumeClaim")) {
                    assertThat(claims).as("%s volume %s", c.where(), name)
                            .contains((String) map(v.get("persistentVolumeClaim")).get("claimName"));
                } else {
                    assertThat(v).as("%s volume %s", c.where(), name).containsKey("emptyDir");
                }
            });
            for (String s : envFromSecrets(c.container())) {
                assertThat(secrets).as("%s envFrom", c.where()).contains(s);
            }
        }
    }

    @Test
    void should_point_routes_dir_and_clari_config_into_their_mounts() {
        for (var c : List.of(deploymentContainer(), cronJobContainer())) {
            Map<String, String> env = literalEnv(c.container());
            String routesMount = mountPathOf(c, "configMap", ROUTES_CONFIGMAP);
            assertThat(env.get("ROUTES_DIR")).as("%s: ROUTES_DIR", c.where()).isEqualTo(routesMount);

            String configMount = mountPathOf(c, "configMap", "clari-config");
            String file = env.get("CLARI_CONFIG");
            assertThat(file).as("%s: CLARI_CONFIG inside the clari-config mount", c.where()).startsWith(configMount + "/");
            assertThat(map(doc("ConfigMap", "clari-config").body().get("data")))
                    .containsKey(file.substring(configMount.length() + 1));
        }
    }

    @Test
    void should_give_a_read_only_root_filesystem_a_writable_tmp() {
        for (var c : List.of(deploymentContainer(), cronJobContainer())) {
            Map<String, Object> sc = map(c.container().get("securityContext"));
            assertThat(sc).containsEntry("readOnlyRootFilesystem", true).containsEntry("allowPrivilegeEscalation", false);
            assertThat(map(c.pod().get("securityContext"))).containsEntry("runAsNonRoot", true);
            // DuckDB extracts its native library to java.io.tmpdir
            String tmp = mountPathOf(c, "emptyDir", null);
            assertThat(tmp).isEqualTo("/tmp");
            String opts = literalEnv(c.container()).getOrDefault("JAVA_TOOL_OPTIONS", "");
            if (opts.contains("-Djava.io.tmpdir=")) {
                assertThat(opts).contains("-Djava.io.tmpdir=" + tmp);
            }
            String reportOut = literalEnv(c.container()).get("REPORT_OUT");
            if (reportOut != null) {
                assertThat(writableMounts(c)).as("%s: REPORT_OUT on a writable volume", c.where())
                        .anyMatch(m -> reportOut.startsWith(m + "/"));
            }
        }
    }

    // ------------------------------------------------------------------ Deployment

    @Test
    void should_run_one_duckdb_writer_on_the_volume() {
        Map<String, Object> spec = map(doc("Deployment", "clari-copilot-connector").body().get("spec"));
        assertThat(spec.get("replicas")).isEqualTo(1);
        assertThat(map(spec.get("strategy")).get("type")).isEqualTo("Recreate");

        var c = deploymentContainer();
        assertThat(list(c.container().get("args"))).contains("run");
        String url = literalEnv(c.container()).get("WAREHOUSE_URL");
        assertThat(url).startsWith("jdbc:duckdb:");
        String dataMount = mountPathOf(c, "persistentVolumeClaim", "clari-data");
        assertThat(duckDbFile(url)).as("the DuckDB file lives on the PVC").startsWith(dataMount + "/");
        assertThat(writableMounts(c)).contains(dataMount);
        assertThat(map(c.pod().get("securityContext"))).containsKey("fsGroup");
    }

    @Test
    void should_give_graceful_shutdown_time_to_finish() {
        for (var c : List.of(deploymentContainer(), cronJobContainer())) {
            assertThat(((Number) c.pod().get("terminationGracePeriodSeconds")).intValue()).as(c.where())
                    .isGreaterThanOrEqualTo(60).isGreaterThan(SHUTDOWN_TIMEOUT_SECONDS);
        }
        assertThat(((Number) map(at(integration(), "spec", "template", "spec")).get("terminationGracePeriodSeconds")).intValue())
                .isGreaterThanOrEqualTo(60);
    }

    @Test
    void should_size_memory_for_heap_and_duckdb() {
        var c = deploymentContainer();
        long limit = quantity((String) map(map(c.container().get("resources")).get("limits")).get("memory"));
        long heap = xmx(literalEnv(c.container()).get("JAVA_TOOL_OPTIONS"));
        long duck = duckDbMemoryLimit(literalEnv(c.container()).get("WAREHOUSE_URL"));
        assertThat(heap).as("-Xmx").isPositive();
        assertThat(duck).as("DuckDB memory_limit in WAREHOUSE_URL (it would size itself from the node otherwise)").isPositive();
        assertThat(limit).as("memory limit ≥ heap + DuckDB + 128 MiB for the JVM itself").isGreaterThanOrEqualTo(heap + duck + (128L << 20));

        var cron = cronJobContainer();
        long cronLimit = quantity((String) map(map(cron.container().get("resources")).get("limits")).get("memory"));
        assertThat(cronLimit).isGreaterThanOrEqualTo(xmx(literalEnv(cron.container()).get("JAVA_TOOL_OPTIONS")) + (128L << 20));
    }

    // ------------------------------------------------------------------ CronJob

    @Test
    void should_sync_postgresql_on_a_schedule_without_overlap() {
        Map<String, Object> spec = map(doc("CronJob", "clari-copilot-connector-sync").body().get("spec"));
        assertThat(spec.get("concurrencyPolicy")).isEqualTo("Forbid");
        assertThat((String) spec.get("schedule")).matches("\\S+ \\S+ \\S+ \\S+ \\S+");
        Map<String, Object> job = map(at(spec, "jobTemplate", "spec"));
        assertThat(((Number) job.get("backoffLimit")).intValue()).isBetween(0, 3);

        var c = cronJobContainer();
        assertThat(list(c.container().get("args"))).contains("sync");
        assertThat(c.pod().get("restartPolicy")).isEqualTo("Never");
        Map<String, String> env = literalEnv(c.container());
        assertThat(env.get("WAREHOUSE_URL")).startsWith("jdbc:postgresql://");
        assertThat(env.get("WAREHOUSE_USER")).isNotBlank();
        assertThat(secretKeys("clari-credentials")).contains("WAREHOUSE_PASSWORD");
        assertThat(volumes(c.pod()).values()).noneMatch(v -> v.containsKey("persistentVolumeClaim"));
    }

    @Test
    void should_not_retry_the_exit_codes_a_retry_cannot_fix() {
        Map<String, Object> job = map(at(doc("CronJob", "clari-copilot-connector-sync").body(), "spec", "jobTemplate", "spec"));
        String container = (String) cronJobContainer().container().get("name");
        List<Integer> failJob = new ArrayList<>();
        for (Object r : list(map(job.get("podFailurePolicy")).get("rules"))) {
            Map<String, Object> rule = map(r);
            assertThat((String) rule.get("action")).isIn("FailJob", "Ignore", "Count", "FailIndex");
            assertThat(rule.containsKey("onExitCodes") ^ rule.containsKey("onPodConditions")).as("one of onExitCodes, onPodConditions").isTrue();
            if (rule.containsKey("onExitCodes")) {
                Map<String, Object> codes = map(rule.get("onExitCodes"));
                assertThat(codes.get("operator")).isIn("In", "NotIn");
                if (codes.containsKey("containerName")) {
                    assertThat(codes.get("containerName")).isEqualTo(container);
                }
                List<Integer> values = list(codes.get("values")).stream().map(v -> ((Number) v).intValue()).toList();
                assertThat(values).as("sorted, unique, non-zero").isSorted().doesNotHaveDuplicates().doesNotContain(0);
                if (rule.get("action").equals("FailJob") && codes.get("operator").equals("In")) {
                    failJob.addAll(values);
                }
            }
        }
        assertThat(failJob).containsExactlyInAnyOrder(ExitCodes.BAD_CONFIGURATION, ExitCodes.CREDENTIALS_REJECTED,
                ExitCodes.QUOTA_EXHAUSTED, ExitCodes.WAREHOUSE_BUSY);
        assertThat(failJob).doesNotContain(ExitCodes.FAILED);
    }

    @Test
    void should_give_each_pod_of_the_sharded_job_its_own_shard_of_as_many_as_there_are_pods() {
        Map<String, Object> job = map(at(doc("CronJob", "clari-copilot-connector-sync-sharded").body(), "spec", "jobTemplate", "spec"));
        assertThat(job.get("completionMode")).isEqualTo("Indexed");
        int completions = ((Number) job.get("completions")).intValue();
        assertThat(((Number) job.get("parallelism")).intValue()).as("all shards at once").isEqualTo(completions);
        Map<String, Object> container = map(list(at(job, "template", "spec", "containers")).get(0));
        List<Map<String, Object>> env = list(container.get("env")).stream().map(ManifestsTest::map).toList();
        List<String> names = env.stream().map(e -> (String) e.get("name")).toList();
        Map<String, Object> index = env.get(names.indexOf("JOB_COMPLETION_INDEX"));
        assertThat(at(index, "valueFrom", "fieldRef", "fieldPath"))
                .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");
        int shard = names.indexOf("CLARI_WORKSPACES_SHARD");
        assertThat(shard).as("declared after JOB_COMPLETION_INDEX, so $(...) expands").isGreaterThan(names.indexOf("JOB_COMPLETION_INDEX"));
        assertThat(env.get(shard).get("value")).isEqualTo("$(JOB_COMPLETION_INDEX)/" + completions);
        List<Object> rules = list(map(job.get("podFailurePolicy")).get("rules"));
        assertThat(rules).map(r -> map(r).get("action")).as("a bad shard fails alone").contains("FailIndex").doesNotContain("FailJob");
        assertThat(job).containsKey("backoffLimitPerIndex");
    }

    // ------------------------------------------------------------------ Camel K

    @Test
    void should_match_the_camel_k_integration_crd_schema() throws IOException {
        JsonNode schema;
        try (InputStream in = getClass().getResourceAsStream("/camel-k/integration-crd-schema-2.3.1.json")) {
            schema = new ObjectMapper().readTree(Objects.requireNonNull(in, "Integration CRD schema"));
        }
        Map<String, Object> it = integration();
        assertThat(it).containsEntry("apiVersion", "camel.apache.org/v1").containsEntry("kind", "Integration");
        assertThat(SchemaCheck.validate(schema, it)).isEmpty();
    }

    @Test
    void should_check_the_schema_check_itself() throws IOException {
        JsonNode schema;
        try (InputStream in = getClass().getResourceAsStream("/camel-k/integration-crd-schema-2.3.1.json")) {
            schema = new ObjectMapper().readTree(in);
        }
        Map<String, Object> bad = Map.of("apiVersion", "camel.apache.org/v1", "kind", "Integration",
                "metadata", Map.of("name", "x"),
                "spec", Map.of("replicas", "one",
                        "traits", Map.of("deployment", Map.of("strategy", "BlueGreen"), "mount", Map.of("config", List.of("x")))));
        assertThat(SchemaCheck.validate(schema, bad)).hasSize(3)
                .anyMatch(e -> e.startsWith("$.spec.replicas"))
                .anyMatch(e -> e.startsWith("$.spec.traits.deployment.strategy"))
                .anyMatch(e -> e.startsWith("$.spec.traits.mount.config"));
    }

    @Test
    void should_run_every_route_file_as_an_integration_source() throws IOException {
        Set<String> routeFiles;
        try (Stream<Path> s = Files.list(ROUTES)) {
            routeFiles = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".camel.yaml")).collect(Collectors.toSet());
        }
        assertThat(routeFiles).isNotEmpty();
        List<Object> sources = list(at(integration(), "spec", "sources"));
        Set<String> named = new HashSet<>();
        for (Object o : sources) {
            Map<String, Object> s = map(o);
            named.add((String) s.get("name"));
            assertThat(s).as("source %s", s.get("name"))
                    .containsEntry("contentRef", ROUTES_CONFIGMAP)
                    .containsEntry("contentKey", s.get("name"))
                    .containsEntry("language", "yaml");
        }
        assertThat(named).as("one source per routes/*.camel.yaml").hasSize(sources.size()).isEqualTo(routeFiles);
        for (String r : list(map(traits().get("mount")).get("resources")).stream().map(String.class::cast).toList()) {
            assertThat(r).as("routes are sources, not resources (they would only land on disk)").doesNotContain(ROUTES_CONFIGMAP);
        }
    }

    @Test
    void should_configure_the_integration_with_real_settings() {
        Map<String, String> props = integrationProperties();
        Set<String> allowed = new HashSet<>(app.stringPropertyNames());
        allowed.addAll(INTEGRATION_EXTRA_PROPERTIES);
        assertThat(allowed).as("camel.properties of the Integration").containsAll(props.keySet());
        assertThat(props).containsEntry("camel.main.configuration-classes", CONFIGURATION_CLASS)
                .containsEntry("clari.internal.scheduled", "true")
                .containsEntry("clari.internal.sync-on-start", "true");
        props.keySet().stream().filter(k -> k.startsWith("camel.") || k.startsWith("clari.internal."))
                .forEach(k -> assertThat(INTEGRATION_EXTRA_PROPERTIES).contains(k));

        Map<String, Object> mount = map(traits().get("mount"));
        List<String> configs = list(mount.get("configs")).stream().map(String.class::cast).toList();
        assertThat(configs).contains("configmap:clari-config");
        Set<String> configMaps = names("ConfigMap");
        configMaps.add(ROUTES_CONFIGMAP);
        Stream.concat(configs.stream(), list(mount.get("resources")).stream().map(String.class::cast)).forEach(ref -> {
            String[] kindName = ref.split("@")[0].split("/")[0].split(":", 2);
            assertThat(kindName[0].equals("configmap") ? configMaps : names("Secret")).as(ref).contains(kindName[1]);
        });

        Map<String, Object> spec = map(integration().get("spec"));
        String url = props.get("warehouse.url");
        if (url != null && url.startsWith("jdbc:duckdb:")) {
            assertThat(spec.get("replicas")).as("one DuckDB writer").isEqualTo(1);
            assertThat(map(traits().get("deployment")).get("strategy")).isEqualTo("Recreate");
            Map<String, String> pvcs = new LinkedHashMap<>();
            for (Object v : list(mount.get("volumes"))) {
                String[] claimPath = ((String) v).split(":", 2);
                pvcs.put(claimPath[1], claimPath[0]);
            }
            assertThat(names("PersistentVolumeClaim")).containsAll(pvcs.values());
            assertThat(pvcs.keySet()).as("the DuckDB file lives on a mounted claim").anyMatch(p -> duckDbFile(url).startsWith(p + "/"));
        }

        List<Map<String, Object>> containers = list(at(integration(), "spec", "template", "spec", "containers"))
                .stream().map(ManifestsTest::map).toList();
        assertThat(containers).singleElement().satisfies(c -> {
            assertThat(c.get("name")).as("Camel K's main container").isEqualTo("integration");
            assertThat(envFromSecrets(c)).containsExactly("clari-credentials");
        });
    }

    @Test
    void should_depend_on_the_connector_and_the_drivers_of_the_pom() {
        List<String> deps = list(at(integration(), "spec", "dependencies")).stream().map(String.class::cast).toList();
        assertThat(deps).contains("camel:quartz", "camel:http", "camel:jackson",
                "mvn:dev.clarisync:clari-copilot-connector:" + pomProjectVersion(),
                "mvn:org.duckdb:duckdb_jdbc:" + pomProperty("duckdb.version"),
                "mvn:org.postgresql:postgresql:" + pomProperty("postgresql.version"));
        assertThat(deps).allMatch(d -> d.startsWith("camel:") || d.startsWith("mvn:"));
    }

    @Test
    void should_turn_on_health_probes_and_metrics_in_camel_k() {
        Map<String, Object> health = map(traits().get("health"));
        assertThat(health).containsEntry("enabled", true).containsEntry("livenessProbeEnabled", true)
                .containsEntry("readinessProbeEnabled", true);
        assertThat(map(traits().get("prometheus"))).containsEntry("enabled", true);
        Object port = map(traits().get("container")).get("port");
        if (port != null) {
            assertThat(port).as("container.port, when set, is the management port").isEqualTo(managementPort);
        }
        assertThat(list(map(traits().get("jvm")).get("options"))).anyMatch(o -> ((String) o).startsWith("-Xmx"));
    }

    @Test
    void should_name_a_camel_configuration_class_that_exists() throws ClassNotFoundException {
        assertThat(org.apache.camel.CamelConfiguration.class).isAssignableFrom(Class.forName(CONFIGURATION_CLASS));
    }

    // ------------------------------------------------------------------ image and routes mount

    @Test
    void should_build_an_image_that_runs_the_jar_the_pom_builds_as_the_manifests_user() {
        String df = dockerfile();
        String jar = pomMatch("<outputFile>\\$\\{project.build.directory}/([^<]+)</outputFile>");
        assertThat(df).containsPattern("(?m)^FROM eclipse-temurin:17-jre")
                .containsPattern("(?m)^COPY target/" + Pattern.quote(jar) + " /app/" + Pattern.quote(jar) + "$")
                .contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/" + jar + "\"]");
        Matcher user = Pattern.compile("(?m)^USER (\\d+)(?::(\\d+))?$").matcher(df);
        assertThat(user.find()).as("numeric USER").isTrue();
        for (var c : List.of(deploymentContainer(), cronJobContainer())) {
            assertThat(map(c.pod().get("securityContext")).get("runAsUser")).isEqualTo(Integer.parseInt(user.group(1)));
            assertThat(c.container().get("image")).isEqualTo(deploymentContainer().container().get("image"));
        }
    }

    @Test
    void should_load_each_route_once_from_a_configmap_volume(@TempDir Path dir) throws Exception {
        // A ConfigMap volume holds a timestamped folder, a ..data symlink to it, and one symlink per key.
        Path stamped = Files.createDirectory(dir.resolve("..2025_01_01_00_00_00.000000001"));
        Files.createSymbolicLink(dir.resolve("..data"), stamped.getFileName());
        Set<String> expected = new TreeSet<>();
        try (Stream<Path> s = Files.list(ROUTES)) {
            for (Path route : s.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                String name = route.getFileName().toString();
                Files.copy(route, stamped.resolve(name));
                Files.createSymbolicLink(dir.resolve(name), Path.of("..data", name));
                expected.add(name);
            }
        }
        try (CamelContext context = new DefaultCamelContext()) {
            // the pattern the connector builds from routes.dir (config.RouteFiles.pattern)
            Collection<Resource> found = PluginHelper.getPackageScanResourceResolver(context)
                    .findResources("file:" + dir.toAbsolutePath() + "/*.camel.yaml");
            assertThat(found.stream().map(r -> Path.of(r.getLocation().replaceFirst("^file:", "")).getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    // ------------------------------------------------------------------ helpers

    record PodContainer(String where, Map<String, Object> pod, Map<String, Object> container) {
    }

    static PodContainer deploymentContainer() {
        Map<String, Object> pod = map(at(doc("Deployment", "clari-copilot-connector").body(), "spec", "template", "spec"));
        return new PodContainer("Deployment", pod, onlyContainer(pod));
    }

    static PodContainer cronJobContainer() {
        Map<String, Object> pod = map(at(doc("CronJob", "clari-copilot-connector-sync").body(),
                "spec", "jobTemplate", "spec", "template", "spec"));
        return new PodContainer("CronJob", pod, onlyContainer(pod));
    }

    static List<PodContainer> allContainers() {
        List<PodContainer> all = new ArrayList<>(List.of(deploymentContainer(), cronJobContainer()));
        Map<String, Object> itPod = map(at(integration(), "spec", "template", "spec"));
        for (Object c : list(itPod.get("containers"))) {
            all.add(new PodContainer("Integration", itPod, map(c)));
        }
        return all;
    }

    static Map<String, Object> onlyContainer(Map<String, Object> pod) {
        List<Object> containers = list(pod.get("containers"));
        assertThat(containers).hasSize(1);
        return map(containers.get(0));
    }

    static Map<String, Object> integration() {
        return doc("Integration", "clari-copilot-connector").body();
    }

    static Map<String, Object> traits() {
        return map(at(integration(), "spec", "traits"));
    }

    static Map<String, String> integrationProperties() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Object p : list(map(traits().get("camel")).get("properties"))) {
            String[] kv = ((String) p).split("=", 2);
            assertThat(kv).as("key=value: %s", p).hasSize(2);
            assertThat(out.put(kv[0].strip(), kv[1].strip())).as("%s set twice", kv[0]).isNull();
        }
        return out;
    }

    static Properties configMapProperties() {
        Properties p = new Properties();
        try {
            p.load(new StringReader((String) map(doc("ConfigMap", "clari-config").body().get("data")).get("application.properties")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return p;
    }

    static Doc doc(String kind, String name) {
        List<Doc> found = docs.stream().filter(d -> d.kind().equals(kind) && d.name().equals(name)).toList();
        assertThat(found).as("%s %s in k8s/", kind, name).hasSize(1);
        return found.get(0);
    }

    static Set<String> names(String kind) {
        return docs.stream().filter(d -> d.kind().equals(kind)).map(Doc::name).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> secretKeys(String secretName) {
        Map<String, Object> body = doc("Secret", secretName).body();
        Set<String> keys = new TreeSet<>(map(body.get("stringData")).keySet());
        keys.addAll(map(body.get("data")).keySet());
        return keys;
    }

    static List<String> envFromSecrets(Map<String, Object> container) {
        List<String> out = new ArrayList<>();
        for (Object e : list(container.get("envFrom"))) {
            Object ref = map(e).get("secretRef");
            if (ref != null) {
                out.add((String) map(ref).get("name"));
            }
        }
        return out;
    }

    static Map<String, String> literalEnv(Map<String, Object> container) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Object e : list(container.get("env"))) {
            Map<String, Object> env = map(e);
            if (env.containsKey("value")) {
                out.put((String) env.get("name"), String.valueOf(env.get("value")));
            }
        }
        return out;
    }

    static Map<String, Map<String, Object>> volumes(Map<String, Object> pod) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Object v : list(pod.get("volumes"))) {
            out.put((String) map(v).get("name"), map(v));
        }
        return out;
    }

    /** Mount path of the volume of this source type (and name, unless null) in the container. */
    static String mountPathOf(PodContainer c, String sourceType, String sourceName) {
        List<String> volumeNames = volumes(c.pod()).entrySet().stream().filter(e -> {
            Object src = e.getValue().get(sourceType);
            if (src == null) {
                return false;
            }
            if (sourceName == null) {
                return true;
            }
            Map<String, Object> s = map(src);
            return sourceName.equals(s.get("name")) || sourceName.equals(s.get("claimName")) || sourceName.equals(s.get("secretName"));
        }).map(Map.Entry::getKey).toList();
        assertThat(volumeNames).as("%s: one %s volume %s", c.where(), sourceType, sourceName).hasSize(1);
        List<String> paths = list(c.container().get("volumeMounts")).stream().map(ManifestsTest::map)
                .filter(m -> m.get("name").equals(volumeNames.get(0))).map(m -> (String) m.get("mountPath")).toList();
        assertThat(paths).as("%s: mount of volume %s", c.where(), volumeNames.get(0)).hasSize(1);
        return paths.get(0);
    }

    static List<String> writableMounts(PodContainer c) {
        return list(c.container().get("volumeMounts")).stream().map(ManifestsTest::map)
                .filter(m -> !Boolean.TRUE.equals(m.get("readOnly"))).map(m -> (String) m.get("mountPath")).toList();
    }

    static String probe(Map<String, Object> container, String kind, Map<String, Integer> ports) {
        Map<String, Object> get = map(map(container.get(kind)).get("httpGet"));
        return get.get("path") + " on " + resolvePort(get.get("port"), ports);
    }

    static int resolvePort(Object port, Map<String, Integer> containerPorts) {
        if (port instanceof Number n) {
            return n.intValue();
        }
        assertThat(containerPorts).as("named port %s", port).containsKey((String) port);
        return containerPorts.get((String) port);
    }

    /** The file of a jdbc:duckdb: URL (options after ';' or '?' dropped). */
    static String duckDbFile(String url) {
        return url.substring("jdbc:duckdb:".length()).split("[;?]", 2)[0];
    }

    static long duckDbMemoryLimit(String url) {
        Matcher m = Pattern.compile("[;?&]memory_limit=(\\d+)(MB|MiB|GB|GiB)").matcher(url);
        if (!m.find()) {
            return 0;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "MB" -> n * 1_000_000L;
            case "MiB" -> n << 20;
            case "GB" -> n * 1_000_000_000L;
            default -> n << 30;
        };
    }

    static long xmx(String javaOptions) {
        Matcher m = Pattern.compile("-Xmx(\\d+)([mMgG])").matcher(javaOptions == null ? "" : javaOptions);
        if (!m.find()) {
            return 0;
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2).equalsIgnoreCase("g") ? n << 30 : n << 20;
    }

    /** A Kubernetes memory quantity (Mi, Gi, M, G or bytes) in bytes. */
    static long quantity(String q) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|K|M|G)?").matcher(q);
        assertThat(m.matches()).as("quantity %s", q).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "" : m.group(2)) {
            case "Ki" -> n << 10;
            case "Mi" -> n << 20;
            case "Gi" -> n << 30;
            case "K" -> n * 1_000L;
            case "M" -> n * 1_000_000L;
            case "G" -> n * 1_000_000_000L;
            default -> n;
        };
    }

    static String pomProjectVersion() {
        return pomMatch("<artifactId>clari-copilot-connector</artifactId>\\s*<version>([^<]+)</version>");
    }

    static String pomProperty(String name) {
        return pomMatch("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">");
    }

    static String pomMatch(String regex) {
        Matcher m = Pattern.compile(regex).matcher(pom);
        assertThat(m.find()).as("pom.xml: %s", regex).isTrue();
        return m.group(1).strip();
    }

    static String dockerfile() {
        return read(DOCKERFILE);
    }

    static String readme() {
        return read(K8S.resolve("README.md"));
    }

    static Object at(Object root, String... path) {
        Object cur = root;
        for (String p : path) {
            cur = map(cur).get(p);
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        if (o == null) {
            return Map.of();
        }
        if (!(o instanceof Map)) {
            fail("expected a mapping, found " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (o == null) {
            return List.of();
        }
        if (!(o instanceof List)) {
            fail("expected a list, found " + o);
        }
        return (List<Object>) o;
    }

    /** Reads a file for an assertion. */
    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p, e);
        }
    }

    /**
     * The subset of OpenAPI v3 that CRD schemas use: type, format (int32/int64), properties, required,
     * items, additionalProperties, enum, pattern, anyOf, x-kubernetes-int-or-string,
     * x-kubernetes-preserve-unknown-fields and x-kubernetes-list-map-keys. A field the schema does not
     * declare is an error, as the API server would prune it (or reject it with strict field validation);
     * an object schema that declares no properties at all (metadata) accepts any fields.
     */
    static final class SchemaCheck {
        static List<String> validate(JsonNode schema, Object value) {
            List<String> errors = new ArrayList<>();
            check(schema, value, "$", errors);
            return errors;
        }

        private static void check(JsonNode s, Object v, String path, List<String> errors) {
            if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
                if (!(isInteger(v) || v instanceof String)) {
                    errors.add(path + ": expected an integer or a string, found " + v);
                }
                return;
            }
            if (s.has("anyOf")) {
                boolean any = false;
                for (JsonNode alt : s.get("anyOf")) {
                    List<String> e = new ArrayList<>();
                    check(alt, v, path, e);
                    any |= e.isEmpty();
                }
                if (!any) {
                    errors.add(path + ": matches none of anyOf");
                    return;
                }
            }
            String type = s.path("type").asText("");
            switch (type) {
                case "object" -> {
                    if (!(v instanceof Map<?, ?> m)) {
                        errors.add(path + ": expected an object, found " + v);
                        return;
                    }
                    checkObject(s, m, path, errors);
                }
                case "array" -> {
                    if (!(v instanceof List<?> l)) {
                        errors.add(path + ": expected an array, found " + v);
                        return;
                    }
                    for (int i = 0; i < l.size(); i++) {
                        if (s.has("items")) {
                            check(s.get("items"), l.get(i), path + "[" + i + "]", errors);
                        }
                    }
                    checkListMapKeys(s, l, path, errors);
                }
                case "string" -> {
                    if (!(v instanceof String str)) {
                        errors.add(path + ": expected a string, found " + v);
                        return;
                    }
                    if (s.has("pattern") && !Pattern.compile(s.get("pattern").asText()).matcher(str).find()) {
                        errors.add(path + ": '" + str + "' does not match " + s.get("pattern").asText());
                    }
                }
                case "integer" -> {
                    if (!isInteger(v)) {
                        errors.add(path + ": expected an integer, found " + v);
                        return;
                    }
                    if ("int32".equals(s.path("format").asText())) {
                        BigInteger n = new BigInteger(v.toString());
                        if (n.bitLength() > 31) {
                            errors.add(path + ": " + v + " is out of int32 range");
                        }
                    }
                }
                case "number" -> {
                    if (!(v instanceof Number)) {
                        errors.add(path + ": expected a number, found " + v);
                    }
                }
                case "boolean" -> {
                    if (!(v instanceof Boolean)) {
                        errors.add(path + ": expected a boolean, found " + v);
                    }
                }
                default -> {
                    // no type: anything (anyOf already checked)
                }
            }
            if (s.has("enum")) {
                boolean in = false;
                for (JsonNode e : s.get("enum")) {
                    in |= e.asText().equals(String.valueOf(v));
                }
                if (!in) {
                    errors.add(path + ": '" + v + "' is not one of " + s.get("enum"));
                }
            }
        }

        private static void checkObject(JsonNode s, Map<?, ?> m, String path, List<String> errors) {
            for (JsonNode r : s.path("required")) {
                if (!m.containsKey(r.asText())) {
                    errors.add(path + ": missing required field " + r.asText());
                }
            }
            JsonNode props = s.get("properties");
            JsonNode additional = s.get("additionalProperties");
            boolean free = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
                    || (props == null && additional == null)
                    || (additional != null && additional.isBoolean() && additional.asBoolean());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                String child = path + "." + key;
                if (props != null && props.has(key)) {
                    check(props.get(key), e.getValue(), child, errors);
                } else if (additional != null && additional.isObject()) {
                    check(additional, e.getValue(), child, errors);
                } else if (!free) {
                    errors.add(child + ": unknown field");
                }
            }
        }

        private static void checkListMapKeys(JsonNode s, List<?> l, String path, List<String> errors) {
            JsonNode keys = s.get("x-kubernetes-list-map-keys");
            if (keys == null || !"map".equals(s.path("x-kubernetes-list-type").asText())) {
                return;
            }
            Set<List<Object>> seen = new HashSet<>();
            for (Object item : l) {
                List<Object> key = new ArrayList<>();
                for (Iterator<JsonNode> it = keys.elements(); it.hasNext(); ) {
                    key.add(item instanceof Map<?, ?> m ? m.get(it.next().asText()) : null);
                }
                if (!seen.add(key)) {
                    errors.add(path + ": duplicate list-map key " + key);
                }
            }
        }

        private static boolean isInteger(Object v) {
            return v instanceof Integer || v instanceof Long || v instanceof BigInteger || v instanceof Short;
        }
    }
}
