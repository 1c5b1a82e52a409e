package dev.clarisync.cli;

import dev.clarisync.camel.ConnectorApplication;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.report.RepRanking;
import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.sync.SyncOutcome;
import dev.clarisync.warehouse.QueryPort;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code demo}: the whole connector against the bundled simulator, on loopback, into an embedded
 * DuckDB file. Same routes, same beans, same warehouse code as a real sync; only the base URL and
 * credentials point at the simulator.
 */
public final class DemoCommand {
    static final Instant DEMO_END = Instant.parse("2026-11-01T00:00:00Z");
    private DemoCommand() {
    }

    public static int run(Map<String, String> props, PrintStream out) throws Exception {
        int calls = Integer.parseInt(props.getOrDefault("demo.calls", "300"));
        // a fixed span: the demo account is the same on every run, so a second run really finds nothing new
        SimulatorConfig config = SimulatorConfig.builder().callCount(calls).span(DEMO_END.minus(Duration.ofDays(90)), DEMO_END).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            Map<String, String> p = new HashMap<>(props);
            p.put("clari.api.base-url", sim.baseUrl().toString());
            p.put("clari.api.key", config.apiKey());
            p.put("clari.api.password", config.apiPassword());
            p.put("clari.api.rate-limit", props.getOrDefault("demo.rate-limit", "50"));
            p.put("warehouse.url", props.getOrDefault("demo.warehouse-url", "jdbc:duckdb:./data/demo.duckdb"));
            ConnectorSettings settings = ConnectorSettings.from(p, true);
            out.println("Simulated Clari API with " + calls + " calls at " + sim.baseUrl() + "; syncing into " + settings.warehouseUrl());
            try (ConnectorApplication app = ConnectorApplication.start(settings, "demo")) {
                SyncOutcome outcome = app.syncOnce();
                out.println();
                printTables(app.warehouse(), out);
                out.println();
                if (outcome.ok()) { // the views it reads are refreshed by a sync that succeeded
                    printReps(app.warehouse(), out);
                    out.println();
                }
                out.println(outcome.totalRows() == 0
                        ? "Nothing new: every call was already in the warehouse at its current version, so nothing was written."
                        : "Wrote " + outcome.totalRows() + " rows. Run demo again: it finds nothing new and writes nothing.");
                out.println(Summary.of(outcome));
                out.println("Dashboard: " + Path.of(settings.reportOut()).toAbsolutePath().normalize()
                        + " (open it in a browser; it works offline)");
                return ExitCodes.of(outcome.kind());
            }
        }
    }

    private static void printTables(QueryPort warehouse, PrintStream out) {
        out.println("Rows per table:");
        for (String table : warehouse.tables()) {
            out.printf("  %-52s %8d%n", table, warehouse.count(table));
        }
    }

    /** Reps by talk/listen ratio ({@link RepRanking}), as on the dashboard. */
    private static void printReps(QueryPort warehouse, PrintStream out) {
        if (!warehouse.tableExists("users") || !warehouse.tableExists("calls__users")) {
            return;
        }
        out.println("Reps by talk/listen ratio (every recorded call they were on, as on the dashboard):");
        out.printf("  %-28s %6s %12s %10s%n", "rep", "calls", "talk/listen", "questions");
        for (Map<String, Object> row : RepRanking.byTalkListenRatio(warehouse, 10)) {
            out.printf("  %-28s %6d %12.2f %10.1f%n", row.get("name"), ((Number) row.get("calls")).longValue(),
                    ((Number) row.get("tlr")).doubleValue(), row.get("q") == null ? 0.0 : ((Number) row.get("q")).doubleValue());
        }
        out.println("  (calls: recorded calls, with metrics; questions: asked by the internal side, per recorded call)");
    }
}
