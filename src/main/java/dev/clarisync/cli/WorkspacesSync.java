package dev.clarisync.cli;

import dev.clarisync.camel.ConnectorApplication;
import dev.clarisync.config.ConnectorPlan;
import dev.clarisync.config.Workspaces;
import dev.clarisync.sync.SyncOutcome;
import dev.clarisync.config.SettingsException;
import dev.clarisync.report.AnalyticsRefresh;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sync} with {@code clari.workspaces}: every workspace of this shard synced by one process, up to
 * {@code clari.workspaces.parallelism} at a time. Prints one line per workspace, in configuration order
 * ({@code workspace acme: sync ok — ...} / {@code workspace globex: sync failed (exit 3) — ...}, the reason on stderr
 * as {@code error: workspace globex: ...}), and exits with the most severe workspace's code ({@link #SEVERITY}).
 */
public final class WorkspacesSync {
    /**
     * Exit codes from most to least severe. A human must act on 2 (configuration) and 3 (credentials) before anything can
     * change; 5 (the warehouse is in use) may be a stuck process; 1 (API or warehouse failure) usually passes on the next
     * run; 4 (quota spent or reserve reached) needs nothing: the next week resumes. 0 last.
     */
    public static final List<Integer> SEVERITY = List.of(ExitCodes.BAD_CONFIGURATION, ExitCodes.CREDENTIALS_REJECTED,
            ExitCodes.WAREHOUSE_BUSY, ExitCodes.FAILED, ExitCodes.QUOTA_EXHAUSTED, ExitCodes.OK);

    private WorkspacesSync() {
    }

    public static int run(ConnectorPlan plan, PrintStream out, PrintStream err) throws Exception {
        List<Workspaces.Workspace> workspaces = plan.workspaces();
        if (workspaces.isEmpty()) {
            out.println("no workspace in this shard: nothing to sync");
            return ExitCodes.OK;
        }
        try (ConnectorApplication app = ConnectorApplication.start(plan, "sync")) {
            Map<String, SyncOutcome> outcomes = app.syncAll();
            Map<String, RuntimeException> notOpened = app.notOpened();
            int code = ExitCodes.OK;
            for (Workspaces.Workspace w : workspaces) {
                String name = w.name();
                int exit;
                String reason;
                if (notOpened.containsKey(name)) {
                    RunFailure f = RunFailure.of(notOpened.get(name), name);
                    exit = f.exitCode();
                    reason = f.message();
                    out.println("workspace " + name + ": sync failed (exit " + exit + ") — warehouse not opened");
                } else {
                    SyncOutcome o = outcomes.get(name);
                    if (o == null) {
                        exit = ExitCodes.WAREHOUSE_BUSY;
                        reason = "a sync of this workspace was already running in this process";
                        out.println("workspace " + name + ": sync failed (exit " + exit + ") — not started");
                    } else {
                        exit = ExitCodes.of(o.kind());
                        reason = o.message();
                        out.println("workspace " + name + ": " + (o.started() ? Summary.of(o)
                                : "sync failed (exit " + exit + ") — not started"));
                    }
                }
                if (exit != ExitCodes.OK) {
                    err.println("error: workspace " + name + ": " + reason);
                }
                code = mostSevere(code, exit);
            }
            return code;
        }
    }

    /**
     * The settings {@code report} and {@code sql} read with: those of {@code workspace} ({@code --workspace=<name>}): its
     * schema, and for the dashboard {@code report.out} with {@code -<name>} inserted, as the service writes it. Without
     * {@code clari.workspaces}, {@code props} as they are; with one workspace listed it is the default; with several,
     * {@code --workspace} is required.
     */
    public static Map<String, String> select(Map<String, String> props, String workspace) {
        List<String> names = Workspaces.names(props);
        if (workspace == null && names.size() <= 1) {
            if (names.isEmpty()) {
                return props;
            }
            workspace = names.get(0);
        }
        if (workspace == null || !names.contains(workspace)) {
            throw SettingsException.plain("workspace", (workspace == null ? "clari.workspaces lists several workspaces: pick one"
                    : "'" + workspace + "' is not in clari.workspaces" + (names.isEmpty() ? "" : ": pick one"))
                    + (names.isEmpty() ? "" : " with --workspace=<name> (" + String.join(", ", names) + ")"));
        }
        String name = workspace;
        Workspaces.Workspace w = Workspaces.from(props, false).stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        Map<String, String> out = new LinkedHashMap<>(props);
        out.put("warehouse.schema", w.settings().warehouseSchema());
        out.put("report.out", AnalyticsRefresh.dashboardOf(Path.of(w.settings().reportOut()), name).toString());
        return out;
    }

    /** The more severe of two exit codes ({@link #SEVERITY}; an unknown code counts as 1). */
    public static int mostSevere(int a, int b) {
        return rank(a) <= rank(b) ? a : b;
    }

    private static int rank(int code) {
        int i = SEVERITY.indexOf(code);
        return i >= 0 ? i : SEVERITY.indexOf(ExitCodes.FAILED);
    }
}
