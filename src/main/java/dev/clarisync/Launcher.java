package dev.clarisync;

import dev.clarisync.camel.ConnectorApplication;
import dev.clarisync.cli.CommandLine;
import dev.clarisync.cli.Usage;
import dev.clarisync.config.ApiProxy;
import dev.clarisync.config.ConnectorPlan;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.SecretsPolicy;
import dev.clarisync.config.SettingsSource;
import dev.clarisync.config.Workspaces;
import dev.clarisync.cli.WorkspacesSync;
import dev.clarisync.ops.ApiReachability;
import dev.clarisync.ops.NativeLibraryJanitor;
import dev.clarisync.cli.DemoCommand;
import dev.clarisync.cli.ExitCodes;
import dev.clarisync.cli.RunFailure;
import dev.clarisync.cli.SqlCommand;
import dev.clarisync.cli.StreamsCheck;
import dev.clarisync.cli.Summary;
import dev.clarisync.cli.WarehouseLookup;
import dev.clarisync.report.ReportCommand;
import dev.clarisync.cli.ExportCommand;
import dev.clarisync.sync.SyncOutcome;
import java.io.ByteArrayOutputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of {@code clari-copilot-connector.jar}: parses the command, resolves and validates the
 * settings, runs the command, and exits with a documented code. A failure prints one line saying
 * what to do; the stack trace goes to the log at debug level only.
 */
public final class Launcher {
    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private Launcher() {
    }

    public static void main(String[] args) {
        // copies of DuckDB's native library left in /tmp by killed runs (the driver extracts one per JVM)
        NativeLibraryJanitor.sweep();
        // UTF-8 whatever the locale: under LANG=C (a minimal container) Java 17 would encode stdout/stderr in ASCII and
        // print '?' for the em dash of every summary line; the log's layouts say UTF-8 themselves (log4j2.xml)
        System.setOut(utf8(FileDescriptor.out));
        System.setErr(utf8(FileDescriptor.err));
        int code = run(args, System.getenv(), Path.of("").toAbsolutePath(), System.out, System.err);
        System.exit(code);
    }

    /** A stream on {@code fd} that encodes in UTF-8, flushed at each line. */
    static PrintStream utf8(FileDescriptor fd) {
        return new PrintStream(new BufferedOutputStream(new FileOutputStream(fd), 8192), true, StandardCharsets.UTF_8);
    }

    /** Runs a command; returns the exit code. Separate from {@link #main} so tests can run commands in-process. */
    public static int run(String[] args, Map<String, String> env, Path workDir, PrintStream out, PrintStream err) {
        try {
            CommandLine cli = CommandLine.parse(args);
            if (cli.help()) {
                out.print(Usage.of(cli.command()));
                return ExitCodes.OK;
            }
            SecretsPolicy.commandLineWarnings(cli.overrides()).forEach(err::println);
            Map<String, String> props = SettingsSource.resolve(cli.overrides(), env, workDir);
            return switch (cli.command()) {
                case "sync" -> {
                    ConnectorPlan plan = ConnectorPlan.from(props, true);
                    yield plan.implicit() ? sync(plan.first(), out, err) : WorkspacesSync.run(plan, out, err);
                }
                case "run" -> {
                    ConnectorApplication.runService(ConnectorPlan.from(props, true));
                    yield ExitCodes.OK;
                }
                case "check" -> {
                    ConnectorPlan plan = ConnectorPlan.from(props, true);
                    yield plan.implicit() ? check(null, plan.first(), out, err) : checkWorkspaces(plan.workspaces(), out, err);
                }
                case "demo" -> DemoCommand.run(props, out);
                case "report" -> {
                    ConnectorSettings settings = ConnectorSettings.from(WarehouseLookup.forReading(
                            WorkspacesSync.select(props, cli.workspace()), workDir, err), false);
                    ReportCommand.run(settings, WarehouseLookup.opener(settings, cli.waitForWarehouse(), err), out);
                    yield ExitCodes.OK;
                }
                case "sql" -> SqlCommand.run(ConnectorSettings.from(WarehouseLookup.forReading(
                        WorkspacesSync.select(props, cli.workspace()), workDir, err), false),
                        cli.arguments().get(0), cli.format(), cli.waitForWarehouse(), out, err);
                case "export" -> ExportCommand.run(WarehouseLookup.opener(ConnectorSettings.from(WarehouseLookup.forReading(
                        WorkspacesSync.select(props, cli.workspace()), workDir, err), false), cli.waitForWarehouse(), err),
                        cli.arguments(), workDir, out, err);
                case "forget" -> {
                    Map<String, String> options = new java.util.HashMap<>();
                    dev.clarisync.cli.ForgetCommand.OPTIONS.forEach(o -> {
                        if (cli.overrides().containsKey(o)) {
                            options.put(o, cli.overrides().get(o));
                        }
                    });
                    yield dev.clarisync.cli.ForgetCommand.run(WorkspacesSync.select(props, cli.workspace()), options, out);
                }
                default -> throw new IllegalStateException(cli.command());
            };
        } catch (Throwable t) {
            RunFailure f = RunFailure.of(t);
            LOG.debug("command failed", t);
            err.println(f.line());
            return f.exitCode();
        }
    }

    static int sync(ConnectorSettings settings, PrintStream out, PrintStream err) throws Exception {
        try (ConnectorApplication app = ConnectorApplication.start(settings, "sync")) {
            SyncOutcome outcome = app.syncOnce();
            out.println(Summary.of(outcome));
            RunFailure f = RunFailure.of(outcome);
            if (!outcome.ok()) {
                err.println(f.line());
            }
            return f.exitCode();
        }
    }

    /**
     * {@code check} with {@code clari.workspaces}: each workspace of this shard in turn, its lines prefixed with its
     * name ({@code workspace acme: clari api: ok ...}); exits with the most severe workspace's code.
     */
    static int checkWorkspaces(List<Workspaces.Workspace> workspaces, PrintStream out, PrintStream err) {
        int code = ExitCodes.OK;
        for (Workspaces.Workspace w : workspaces) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            int exit;
            try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8); PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
                try {
                    exit = check(w.name(), w.settings(), po, pe);
                } catch (Exception t) {
                    RunFailure f = RunFailure.of(t, w.name());
                    pe.println(f.line());
                    exit = f.exitCode();
                }
            }
            String prefix = "workspace " + w.name() + ": ";
            o.toString(StandardCharsets.UTF_8).lines().forEach(line -> out.println(prefix + line));
            e.toString(StandardCharsets.UTF_8).lines().forEach(line -> err.println(line.startsWith("error: ")
                    ? "error: " + prefix + line.substring("error: ".length()) : prefix + line));
            code = WorkspacesSync.mostSevere(code, exit);
        }
        return code;
    }

    /** {@code check} of one workspace ({@code workspace} null: the single one, whose keys are {@code clari.api.*}). */
    static int check(String workspace, ConnectorSettings settings, PrintStream out, PrintStream err) throws Exception {
        ApiProxy proxy = settings.apiProxy();
        out.println("proxy: " + proxy.describe());
        // an unreachable host is reported at once (before Camel starts), not after the retries a sync would spend on it;
        // behind a proxy, the host to reach is the proxy
        String unreachable = ApiReachability.problem(proxy.direct() ? settings.apiBaseUrl() : proxy.address());
        if (unreachable != null && !proxy.direct()) {
            err.println("error: cannot reach the proxy " + proxy.address() + " (" + unreachable + "), named by " + proxy.source()
                    + ": " + proxy.howToChange() + " and that the proxy runs");
            return ExitCodes.FAILED;
        }
        if (unreachable != null) {
            err.println("error: cannot reach the Clari API at " + settings.apiBaseUrl() + " (" + unreachable
                    + "): check " + Workspaces.baseUrlHint(workspace) + " and the network (proxy, firewall, DNS)");
            return ExitCodes.FAILED;
        }
        try (ConnectorApplication app = ConnectorApplication.start(settings, "check")) {
            app.warehouse().checkWritable();
            out.println("warehouse: ok (" + app.warehouse().describe() + ", writable)");
            com.fasterxml.jackson.databind.JsonNode calls = app.checkApi();
            out.println("clari api: ok (" + settings.apiBaseUrl() + ", credentials accepted)");
            return StreamsCheck.print(app, workspace, settings, calls, out, err);
        }
    }
}
