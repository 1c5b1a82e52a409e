package dev.clarisync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clarisync.config.Workspaces.Workspace;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one function from properties to what a process syncs, for both start-ups (issue 28). */
class ConnectorPlanTest {
    @TempDir
    Path dir;

    private static final Map<String, String> CREDENTIALS = Map.of("CLARI_API_KEY", "k", "CLARI_API_PASSWORD", "p",
            "CLARI_WORKSPACE_ACME_API_KEY", "ak", "CLARI_WORKSPACE_ACME_API_PASSWORD", "ap",
            "CLARI_WORKSPACE_GLOBEX_API_KEY", "gk", "CLARI_WORKSPACE_GLOBEX_API_PASSWORD", "gp",
            "CLARI_WORKSPACE_INITECH_API_KEY", "ik", "CLARI_WORKSPACE_INITECH_API_PASSWORD", "ip");

    private ConnectorPlan plan(Map<String, String> cli) {
        return ConnectorPlan.from(SettingsSource.resolve(cli, CREDENTIALS, dir), true);
    }

    @Test
    void should_be_a_list_of_one_workspace_named_default_without_clari_workspaces() {
        ConnectorPlan plan = plan(Map.of());
        assertThat(plan.implicit()).isTrue();
        assertThat(plan.workspaces()).extracting(Workspace::name).containsExactly(Workspaces.DEFAULT);
        assertThat(plan.first().apiKey().reveal()).isEqualTo("k");
        assertThat(plan.parallelism()).isEqualTo(1);
        assertThat(ConnectorPlan.of(plan.first()).implicit()).isTrue();
    }

    @Test
    void should_read_shard_and_parallelism_only_when_workspaces_are_named() {
        // as before the plan: a single workspace never looked at the keys about many
        ConnectorPlan single = plan(Map.of("clari.workspaces.shard", "1/2", "clari.workspaces.parallelism", "many"));
        assertThat(single.workspaces()).extracting(Workspace::name).containsExactly(Workspaces.DEFAULT);

        Map<String, String> named = new HashMap<>(Map.of("clari.workspaces", "initech,acme,globex",
                "clari.workspaces.parallelism", "3"));
        ConnectorPlan all = plan(named);
        assertThat(all.implicit()).isFalse();
        assertThat(all.workspaces()).extracting(Workspace::name).containsExactly("initech", "acme", "globex");
        assertThat(all.parallelism()).isEqualTo(3);

        named.put("clari.workspaces.shard", "1/2"); // sorted acme, globex, initech: the second of two shards is globex
        assertThat(plan(named).workspaces()).extracting(Workspace::name).containsExactly("globex");
        named.put("clari.workspaces.parallelism", "0");
        assertThatThrownBy(() -> plan(named)).isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("clari.workspaces.parallelism:");
    }
}
