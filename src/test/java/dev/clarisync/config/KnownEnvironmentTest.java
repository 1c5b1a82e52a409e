package dev.clarisync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clarisync.SyncHarness;
import dev.clarisync.cli.ExitCodes;
import dev.clarisync.sim.SimulatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Environment variables of ours are checked like keys (issue 23): on Kubernetes most settings arrive that way. */
class KnownEnvironmentTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CLARI_API_RATE_LIMT|unknown environment variable CLARI_API_RATE_LIMT (did you mean CLARI_API_RATE_LIMIT?)",
            "WAREHOUSE_URI|unknown environment variable WAREHOUSE_URI (did you mean WAREHOUSE_URL?)",
            "REPORT_OUTPUT|unknown environment variable REPORT_OUTPUT (did you mean REPORT_OUT?)",
            "ROUTES_DIRS|unknown environment variable ROUTES_DIRS (did you mean ROUTES_DIR?)",
            "CLARI_WORKSPACES_PARALELISM|unknown environment variable CLARI_WORKSPACES_PARALELISM (did you mean CLARI_WORKSPACES_PARALLELISM?)",
            "CLARI_WORKSPACE_GLOBEX_EU_API_KYE|unknown environment variable CLARI_WORKSPACE_GLOBEX_EU_API_KYE (did you mean CLARI_WORKSPACE_GLOBEX_EU_API_KEY?)",
            "CLARI_API_RATE_LIMIT_FILE|unknown environment variable CLARI_API_RATE_LIMIT_FILE (did you mean CLARI_API_RATE_LIMIT?)",
            "CLARI_COPILOT_CONNECTOR_PORT|unknown environment variable CLARI_COPILOT_CONNECTOR_PORT (no such setting: each key of application.properties has one, upper-case with . and - as _)",
            "MANAGEMENT_SOMETHING_ELSE_ENTIRELY|unknown environment variable MANAGEMENT_SOMETHING_ELSE_ENTIRELY (no such setting: each key of application.properties has one, upper-case with . and - as _)",
    })
    void should_reject_an_unknown_variable_of_ours_with_the_closest_known_one(String variable, String message) {
        assertThatThrownBy(() -> SettingsSource.resolve(Map.of(), Map.of(variable, "1"), dir))
                .isInstanceOf(SettingsException.class).hasMessage(message);
    }

    @Test
    void should_suggest_the_variable_of_a_listed_workspace() {
        assertThatThrownBy(() -> SettingsSource.resolve(Map.of("clari.workspaces", "acme"), Map.of("CLARI_WORKSPACE_ACME_SHEMA", "a"), dir))
                .hasMessage("unknown environment variable CLARI_WORKSPACE_ACME_SHEMA (did you mean CLARI_WORKSPACE_ACME_SCHEMA?)");
    }

    @Test
    void should_never_print_the_value_of_a_mistyped_secret() {
        assertThatThrownBy(() -> SettingsSource.resolve(Map.of(), Map.of("CLARI_API_PASWORD", "s3cret-Value-42"), dir))
                .hasMessage("unknown environment variable CLARI_API_PASWORD (did you mean CLARI_API_PASSWORD?)")
                .message().doesNotContain("s3cret-Value-42");
    }

    @Test
    void should_accept_every_key_of_application_properties_and_the_workspace_variables() {
        Map<String, String> env = new HashMap<>();
        for (String key : SettingsSource.packagedKeys()) {
            env.put(EnvNames.of(key), SecretsPolicy.isSecret(key) ? "x" : SettingsSource.packagedDefault(key));
        }
        env.put("CLARI_WORKSPACES", "acme");
        env.put("CLARI_WORKSPACE_ACME_API_KEY", "k");
        env.put("CLARI_WORKSPACE_ACME_RATE_LIMIT", "5");
        // a workspace this process does not sync (another shard's, in a shared Secret) is a real variable too
        env.put("CLARI_WORKSPACE_GLOBEX_EU_START_DATE", "2024-01-01");
        Map<String, String> p = SettingsSource.resolve(Map.of(), env, dir);
        assertThat(p).containsEntry("clari.workspace.acme.rate-limit", "5").containsEntry("clari.workspaces", "acme");
    }

    @Test
    void should_accept_the_documented_exceptions_and_other_programs_variables() throws IOException {
        Path secret = Files.writeString(dir.resolve("pw"), "pw\n");
        Files.writeString(dir.resolve("other.properties"), "clari.api.rate-limit=7\n");
        Map<String, String> env = new HashMap<>();
        env.put("CLARI_CONFIG", "other.properties");
        env.put("CLARI_API_PASSWORD_FILE", secret.toString());
        env.put("CLARI_WORKSPACE_GLOBEX_EU_API_PASSWORD_FILE", secret.toString());
        // what Kubernetes sets in every pod of the namespace for our own Service, and for one named "warehouse"
        for (String service : new String[] {"CLARI_COPILOT_CONNECTOR", "WAREHOUSE"}) {
            env.put(service + "_SERVICE_HOST", "10.0.0.7");
            env.put(service + "_SERVICE_PORT", "9876");
            env.put(service + "_SERVICE_PORT_MANAGEMENT", "9876");
            env.put(service + "_PORT", "tcp://10.0.0.7:9876");
            env.put(service + "_PORT_9876_TCP", "tcp://10.0.0.7:9876");
            env.put(service + "_PORT_9876_TCP_PROTO", "tcp");
            env.put(service + "_PORT_9876_TCP_PORT", "9876");
            env.put(service + "_PORT_9876_TCP_ADDR", "10.0.0.7");
        }
        env.put("WAREHOUSE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1/x");
        env.put("JOB_COMPLETION_INDEX", "0");
        env.put("JAVA_TOOL_OPTIONS", "-Xmx256m");
        env.put("LOG_LEVEL", "DEBUG");
        env.put("CLARIFY_HOME", "/opt/clarify"); // another program's prefix that merely starts like ours
        assertThatCode(() -> assertThat(SettingsSource.resolve(Map.of(), env, dir)).containsEntry("clari.api.rate-limit", "7"))
                .doesNotThrowAnyException();
    }

    /** A manifest that sets a variable the connector would refuse fails here, not in the cluster at night. */
    @Test
    void should_accept_every_variable_our_kubernetes_manifests_set() throws IOException {
        Map<String, String> env = new HashMap<>();
        Pattern variable = Pattern.compile("(?m)^\\s*(?:- name: )?((?:CLARI|WAREHOUSE|REPORT|MANAGEMENT|ROUTES)_[A-Z0-9_]+)(?::|\\s*$)");
        try (Stream<Path> files = Files.walk(Path.of("k8s"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Matcher m = variable.matcher(Files.readString(f));
                while (m.find()) {
                    env.put(m.group(1), "x");
                }
            }
        }
        assertThat(env).containsKeys("CLARI_CONFIG", "WAREHOUSE_URL", "CLARI_WORKSPACES_SHARD", "CLARI_API_PASSWORD");
        env.remove("CLARI_CONFIG"); // names a file that is only in the pod
        assertThatCode(() -> SettingsSource.resolve(Map.of(), env, dir)).doesNotThrowAnyException();
    }

    @Test
    void should_stop_a_sync_on_a_mistyped_variable_before_any_request() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(5).build(), dir)) {
            SyncHarness.Result r = h.runWith(Map.of("CLARI_API_KEY", h.config.apiKey(), "CLARI_API_PASSWORD", h.config.apiPassword(),
                    "CLARI_API_RATE_LIMT", "5"), "sync");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
            assertThat(r.err().strip()).isEqualTo(
                    "error: configuration: unknown environment variable CLARI_API_RATE_LIMT (did you mean CLARI_API_RATE_LIMIT?)");
            assertThat(h.sim.requests().total()).as("nothing is sent with a configuration the user did not mean").isZero();
            assertThat(h.db).doesNotExist();
        }
    }
}
