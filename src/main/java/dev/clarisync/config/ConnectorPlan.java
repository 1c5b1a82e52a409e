package dev.clarisync.config;

import java.util.List;
import java.util.Map;

/**
 * What one connector process syncs, decided once at start from the resolved properties: the workspaces of its shard,
 * each with its validated {@link ConnectorSettings}, and how many of them sync at the same time. Without
 * {@code clari.workspaces} the plan is a list of one workspace named {@value Workspaces#DEFAULT}, configured by
 * {@code clari.api.*}; nothing downstream needs another branch for it.
 *
 * <p>Both start-ups build their plan here: {@code java -jar} (the Launcher, from {@link SettingsSource#resolve}) and
 * Camel K or any Camel Main ({@code ConnectorConfiguration}, from {@link SettingsSource#resolveOnPlatform}). The
 * configuration-key check belongs to resolving, which every command does, so it has run on both paths before this.
 *
 * @param workspaces  the workspaces to sync, in configuration order; never empty for the single workspace
 * @param parallelism how many workspaces sync at the same time ({@code clari.workspaces.parallelism}; 1 for one)
 */
public record ConnectorPlan(List<Workspaces.Workspace> workspaces, int parallelism) {
    public ConnectorPlan {
        workspaces = List.copyOf(workspaces);
    }

    /**
     * The plan of the resolved properties: every workspace's settings validated ({@code needsCredentials} false for
     * commands that do not call the real API); named workspaces filtered to this process's shard
     * ({@code clari.workspaces.shard}). The list, shard and parallelism keys are read only when workspaces are named.
     */
    public static ConnectorPlan from(Map<String, String> resolved, boolean needsCredentials) {
        List<Workspaces.Workspace> all = Workspaces.from(resolved, needsCredentials);
        if (Workspaces.names(resolved).isEmpty()) {
            return new ConnectorPlan(all, 1);
        }
        return new ConnectorPlan(Workspaces.shard(all, resolved), Workspaces.parallelism(resolved));
    }

    /** The plan of one workspace's settings: the single workspace, {@value Workspaces#DEFAULT}. */
    public static ConnectorPlan of(ConnectorSettings settings) {
        return new ConnectorPlan(List.of(new Workspaces.Workspace(Workspaces.DEFAULT, settings)), 1);
    }

    /** True for the single workspace of a configuration without {@code clari.workspaces} (its metrics carry no label). */
    public boolean implicit() {
        return workspaces.size() == 1 && workspaces.get(0).implicit();
    }

    /** The settings of the first workspace: what the process-wide parts (schedule, port, routes, retries) follow. */
    public ConnectorSettings first() {
        if (workspaces.isEmpty()) {
            throw new IllegalStateException("no workspace in this shard");
        }
        return workspaces.get(0).settings();
    }
}
