package dev.clarisync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every manifest in {@code k8s/} against the Kubernetes API schemas of the npm package {@code kubernetes-models}
 * (pinned in {@code src/test/k8s-schema/package-lock.json}; .ci/run installs it, and this test does when it is
 * missing), run by {@code src/test/k8s-schema/validate.mjs} under Node; the Prometheus Operator's resources in
 * {@code k8s/monitoring/} against the CRD schemas of {@code @kubernetes-models/prometheus-operator} (pinned the same
 * way). The Camel K Integration is a custom resource: {@link ManifestsTest} checks it against the Integration CRD schema.
 */
class KubernetesSchemaTest {
    static final Path SOURCE = Path.of("src/test/k8s-schema");
    static final Path WORK = Path.of("target/k8s-schema").toAbsolutePath();
    static final Path K8S = Path.of("k8s").toAbsolutePath();

    record Result(int exit, String out, String err) {
    }

    @BeforeAll
    static void install() throws Exception {
        Files.createDirectories(WORK);
        for (String f : List.of("package.json", "package-lock.json", "validate.mjs")) {
            Files.copy(SOURCE.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/kubernetes-models"))
                || !Files.isDirectory(WORK.resolve("node_modules/@kubernetes-models/prometheus-operator"))) {
            Result r = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 600);
            assertThat(r.exit()).as("npm ci in %s: %s %s", WORK, r.out(), r.err()).isZero();
        }
    }

    static Result run(List<String> command, int seconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile(WORK, "out", ".txt");
        Path err = Files.createTempFile(WORK, "err", ".txt");
        try {
            Process p = new ProcessBuilder(command).directory(WORK.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish in " + seconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip(), Files.readString(err, StandardCharsets.UTF_8).strip());
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Result validate(Path folder) throws IOException, InterruptedException {
        return run(List.of("node", "validate.mjs", folder.toString()), 120);
    }

    @Test
    void should_validate_every_manifest_with_zero_findings() throws Exception {
        Result r = validate(K8S);
        assertThat(r.out()).as("findings").isEmpty();
        assertThat(r.exit()).as(r.err()).isZero();
        // Secret, ConfigMap, PVC, Service, Deployment, CronJob, sharded CronJob, and in monitoring/ the PrometheusRule
        // and the PodMonitor (the Integration is ManifestsTest's)
        assertThat(r.err()).contains("validated 9 manifests, 0 findings");
    }

    /** A broken copy of a manifest: a Kubernetes type (its API schema), and a Prometheus Operator resource (its CRD schema). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "deployment.yaml | containerPort: 9876 | containerPort: \"management\" | Deployment/clari-copilot-connector: data/spec/template/spec/containers/0/ports/0/containerPort must be integer",
        "monitoring/prometheusrule.yaml | for: 10m | for: ten minutes | PrometheusRule/clari-copilot-connector: data/spec/groups/0/rules/0/for must match pattern"})
    void should_report_a_manifest_that_breaks_its_schema(String file, String good, String bad, String finding, @TempDir Path copy)
            throws Exception {
        Files.writeString(copy.resolve(Path.of(file).getFileName()), Files.readString(K8S.resolve(file)).replace(good, bad));
        Result r = validate(copy);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains(finding);
    }

    /** docs/operations.md and k8s/README.md build the image the manifests run, with its tag, and say the same about route edits on Kubernetes. */
    @Test
    void should_agree_in_both_readmes_on_the_image_and_on_route_edits() throws IOException {
        String top = Files.readString(Path.of("docs", "operations.md"));
        String k8s = Files.readString(K8S.resolve("README.md"));
        Matcher image = Pattern.compile("image: (\\S+)").matcher(Files.readString(K8S.resolve("deployment.yaml")));
        assertThat(image.find()).isTrue();
        String build = "docker build -f k8s/Dockerfile -t " + image.group(1) + " .";
        assertThat(top).contains(build).doesNotContain("docker build -f k8s/Dockerfile .`");
        assertThat(k8s).contains(build);
        assertThat(Files.readString(K8S.resolve("cronjob.yaml"))).contains("image: " + image.group(1));
        for (String readme : List.of(top, k8s)) {
            assertThat(readme.replaceAll("\\s+", " ")).contains("Camel's file watcher (pattern `*.camel.yaml`)")
                    .doesNotContain("file watcher also picks up the change");
        }
    }

    /** Older API servers (before status became optional) reject a pod-condition pattern without status. */
    @Test
    @SuppressWarnings("unchecked")
    void should_give_every_pod_condition_pattern_a_type_and_a_status() throws IOException {
        Map<String, Object> cron = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(K8S.resolve("cronjob.yaml")));
        Map<String, Object> job = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) cron.get("spec"))
                .get("jobTemplate")).get("spec");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) ((Map<String, Object>) job.get("podFailurePolicy")).get("rules");
        List<Map<String, Object>> patterns = rules.stream().filter(r -> r.containsKey("onPodConditions"))
                .flatMap(r -> ((List<Map<String, Object>>) r.get("onPodConditions")).stream()).toList();
        assertThat(patterns).isNotEmpty().allSatisfy(p -> assertThat(p).containsKeys("type", "status"));
    }
}
