package dev.clarisync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clarisync.config.Workspaces.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspacesTest {
    @TempDir
    Path dir;

    private List<Workspace> workspaces(Map<String, String> cli, Map<String, String> env) {
        return Workspaces.from(SettingsSource.resolve(cli, env, dir), true);
    }

    @Test
    void should_be_one_default_workspace_from_clari_api_when_no_workspaces_are_listed() {
        List<Workspace> ws = workspaces(Map.of(), Map.of("CLARI_API_KEY", "k", "CLARI_API_PASSWORD", "p"));
        assertThat(ws).hasSize(1);
        assertThat(ws.get(0).implicit()).isTrue();
        assertThat(ws.get(0).settings().apiKey().reveal()).isEqualTo("k");
        assertThat(ws.get(0).settings().warehouseSchema()).isEmpty();
    }

    @Test
    void should_give_each_workspace_its_own_credentials_limits_and_schema() throws IOException {
        Files.writeString(dir.resolve("application.properties"), """
                clari.workspaces=acme, globex_eu
                clari.workspace.acme.rate-limit=5
                clari.workspace.acme.base-url=http://127.0.0.1:1234
                clari.workspace.globex_eu.schema=clari_globex
                clari.workspace.globex_eu.start-date=2025-01-01
                """);
        Path secret = dir.resolve("globex-password");
        Files.writeString(secret, "from-a-file\n");
        List<Workspace> ws = workspaces(Map.of("clari.workspace.acme.weekly-quota", "2000"), Map.of(
                "CLARI_API_KEY", "shared-key-never-used", "CLARI_API_PASSWORD", "shared-password-never-used",
                "CLARI_WORKSPACE_ACME_API_KEY", "ak", "CLARI_WORKSPACE_ACME_API_PASSWORD", "ap",
                "CLARI_WORKSPACE_GLOBEX_EU_API_KEY", "gk", "CLARI_WORKSPACE_GLOBEX_EU_API_PASSWORD_FILE", secret.toString(),
                "CLARI_WORKSPACE_ACME_RATE_LIMIT", "7"));
        assertThat(ws).extracting(Workspace::name).containsExactly("acme", "globex_eu");
        ConnectorSettings acme = ws.get(0).settings();
        assertThat(acme.apiKey().reveal()).isEqualTo("ak");
        assertThat(acme.apiPassword().reveal()).isEqualTo("ap");
        assertThat(acme.rateLimit()).as("env wins over the file").isEqualTo(7);
        assertThat(acme.weeklyQuota()).as("command line").isEqualTo(2000);
        assertThat(acme.apiBaseUrl()).hasToString("http://127.0.0.1:1234");
        assertThat(acme.warehouseSchema()).isEqualTo("acme");
        ConnectorSettings globex = ws.get(1).settings();
        assertThat(globex.apiPassword().reveal()).isEqualTo("from-a-file");
        assertThat(globex.warehouseSchema()).isEqualTo("clari_globex");
        assertThat(globex.startDate()).hasToString("2025-01-01T00:00:00Z");
        assertThat(globex.rateLimit()).isEqualTo(10);
        assertThat(globex.apiBaseUrl()).hasToString("https://rest-api.copilot.clari.com");
    }

    @Test
    void should_name_a_workspaces_own_keys_and_env_names_in_advice() {
        assertThat(Workspaces.credentialsHint("acme_eu")).isEqualTo("clari.workspace.acme_eu.api-key and "
                + "clari.workspace.acme_eu.api-password (env CLARI_WORKSPACE_ACME_EU_API_KEY, CLARI_WORKSPACE_ACME_EU_API_PASSWORD)");
        assertThat(Workspaces.baseUrlHint("acme_eu")).isEqualTo("clari.workspace.acme_eu.base-url (or clari.api.base-url, its default)");
        for (String single : new String[] {null, Workspaces.DEFAULT}) {
            assertThat(Workspaces.credentialsHint(single))
                    .isEqualTo("clari.api.key and clari.api.password (env CLARI_API_KEY, CLARI_API_PASSWORD)");
            assertThat(Workspaces.baseUrlHint(single)).isEqualTo("clari.api.base-url");
        }
        // each named key is one the configuration check knows, so following the advice cannot hit "unknown key"
        assertThat(Workspaces.isWorkspaceKey("clari.workspace.acme_eu.api-key")).isTrue();
        assertThat(Workspaces.isWorkspaceKey("clari.workspace.acme_eu.api-password")).isTrue();
        assertThat(Workspaces.isWorkspaceKey("clari.workspace.acme_eu.base-url")).isTrue();
    }

    @Test
    void should_let_the_command_line_win_over_the_environment_for_a_workspace_key() {
        List<Workspace> ws = workspaces(Map.of("clari.workspaces", "acme", "clari.workspace.acme.rate-limit", "3"),
                Map.of("CLARI_WORKSPACE_ACME_API_KEY", "ak", "CLARI_WORKSPACE_ACME_API_PASSWORD", "ap", "CLARI_WORKSPACE_ACME_RATE_LIMIT", "7"));
        assertThat(ws.get(0).settings().rateLimit()).isEqualTo(3);
    }

    @Test
    void should_never_fall_back_to_the_shared_credentials() {
        assertThatThrownBy(() -> workspaces(Map.of("clari.workspaces", "acme"),
                Map.of("CLARI_API_KEY", "k", "CLARI_API_PASSWORD", "p")))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("clari.workspace.acme.api-key: is required")
                .hasMessageContaining("CLARI_WORKSPACE_ACME_API_KEY");
    }

    @Test
    void should_name_the_workspace_key_of_a_bad_value() {
        assertThatThrownBy(() -> workspaces(Map.of("clari.workspaces", "acme", "clari.workspace.acme.rate-limit", "fast"),
                Map.of("CLARI_WORKSPACE_ACME_API_KEY", "ak", "CLARI_WORKSPACE_ACME_API_PASSWORD", "ap")))
                .hasMessageStartingWith("clari.workspace.acme.rate-limit: must be a whole number");
    }

    @Test
    void should_reject_bad_names_and_duplicates() {
        assertThatThrownBy(() -> workspaces(Map.of("clari.workspaces", "Acme"), Map.of()))
                .hasMessageStartingWith("clari.workspaces: 'Acme' is not a workspace name");
        assertThatThrownBy(() -> workspaces(Map.of("clari.workspaces", "a,b,a"), Map.of()))
                .hasMessageStartingWith("clari.workspaces: 'a' is listed twice");
        assertThatThrownBy(() -> workspaces(Map.of("clari.workspaces", "default"), Map.of()))
                .hasMessageContaining("reserved");
    }

    @Test
    void should_cover_every_workspace_exactly_once_across_shards_and_balance_them() {
        Map<String, String> env = new HashMap<>();
        List<String> names = IntStream.range(0, 11).mapToObj(i -> "ws" + (char) ('a' + (i * 7) % 11)).toList();
        names.forEach(n -> {
            env.put(EnvNames.of(Workspaces.key(n, "api-key")), "k-" + n);
            env.put(EnvNames.of(Workspaces.key(n, "api-password")), "p-" + n);
        });
        Map<String, String> resolved = SettingsSource.resolve(Map.of("clari.workspaces", String.join(",", names)), env, dir);
        List<Workspace> all = Workspaces.from(resolved, true);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, String> withShard = new HashMap<>(resolved);
            withShard.put("clari.workspaces.shard", i + "/3");
            List<Workspace> shard = Workspaces.shard(all, withShard);
            assertThat(shard.size()).isBetween(3, 4);
            shard.forEach(w -> seen.add(w.name()));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(names);
        assertThat(Workspaces.shard(all, resolved)).isEqualTo(all);
    }

    @Test
    void should_reject_a_malformed_shard() {
        for (String bad : List.of("3/3", "1", "a/b", "-1/2", "0/0")) {
            assertThatThrownBy(() -> Workspaces.shard(List.of(), Map.of("clari.workspaces.shard", bad)))
                    .as(bad).isInstanceOf(SettingsException.class).hasMessageStartingWith("clari.workspaces.shard:");
        }
    }

    @Test
    void should_recognise_workspace_keys() {
        assertThat(Workspaces.isWorkspaceKey("clari.workspace.acme.api-key")).isTrue();
        assertThat(Workspaces.isWorkspaceKey("clari.workspaces.parallelism")).isTrue();
        assertThat(Workspaces.isWorkspaceKey("clari.workspace.acme.api-kee")).isFalse();
        assertThat(Workspaces.isWorkspaceKey("clari.workspace.Acme.api-key")).isFalse();
    }
}
