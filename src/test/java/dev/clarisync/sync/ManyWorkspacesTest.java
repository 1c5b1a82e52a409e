package dev.clarisync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.Launcher;
import dev.clarisync.cli.ExitCodes;
import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.warehouse.PostgresTestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import static dev.clarisync.sync.TwoAccountsTest.scalar;
import static dev.clarisync.sync.TwoAccountsTest.strings;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many workspaces from configuration ({@code clari.workspaces}), end to end through {@link Launcher#run}: three
 * simulated Clari workspaces (one whose credentials are rejected) synced by one process into one DuckDB file and into
 * one PostgreSQL database, each into its own schema; and two shards ({@code clari.workspaces.shard=0/2}, {@code 1/2})
 * run at the same time against one PostgreSQL, covering every workspace exactly once.
 */
class ManyWorkspacesTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    @Test
    void should_sync_three_workspaces_into_one_duckdb_file_each_in_its_schema_the_rejected_one_failing_alone() throws Exception {
        Path db = dir.resolve("clari.duckdb");
        threeWorkspaces("jdbc:duckdb:" + db, List.of(), Map.of(), () -> DriverManager.getConnection("jdbc:duckdb:" + db));
    }

    @Test
    void should_sync_three_workspaces_into_one_postgresql_database_each_in_its_schema_the_rejected_one_failing_alone() throws Exception {
        PostgresTestServer.Connection pg = PostgresTestServer.get();
        String prefix = PostgresTestServer.freshSchema("ws");
        List<String> schemas = new ArrayList<>();
        for (String name : List.of("acme", "globex", "initech")) {
            schemas.add("--clari.workspace." + name + ".schema=" + prefix + "_" + name);
        }
        threeWorkspaces(pg.url(), schemas, Map.of("acme", prefix + "_acme", "globex", prefix + "_globex", "initech", prefix + "_initech"),
                () -> DriverManager.getConnection(pg.url(), pg.user(), pg.password()), "--warehouse.user=" + pg.user(),
                "--warehouse.password=" + pg.password());
    }

    private void threeWorkspaces(String url, List<String> schemaOptions, Map<String, String> schemaOf, Connect connect, String... extra)
            throws Exception {
        SimulatorConfig acme = SimulatorConfig.builder().callCount(60).seed(3).apiKey("key-acme").apiPassword("pw-acme").build();
        SimulatorConfig globex = SimulatorConfig.builder().callCount(40).userCount(5).seed(5).apiKey("key-globex").apiPassword("pw-globex").build();
        SimulatorConfig initech = SimulatorConfig.builder().callCount(20).seed(7).apiKey("key-initech").apiPassword("pw-initech").build();
        try (ClariSimulator simA = ClariSimulator.start(acme); ClariSimulator simG = ClariSimulator.start(globex);
             ClariSimulator simI = ClariSimulator.start(initech)) {
            Map<String, String> env = new HashMap<>();
            credentials(env, "acme", acme);
            credentials(env, "globex", globex);
            env.put("CLARI_WORKSPACE_INITECH_API_KEY", "revoked");
            env.put("CLARI_WORKSPACE_INITECH_API_PASSWORD", "revoked-too");
            List<String> args = new ArrayList<>(common(url));
            args.add("--clari.workspaces=acme,globex,initech");
            args.add("--clari.workspaces.parallelism=3");
            args.add("--clari.workspace.acme.base-url=" + simA.baseUrl());
            args.add("--clari.workspace.globex.base-url=" + simG.baseUrl());
            args.add("--clari.workspace.initech.base-url=" + simI.baseUrl());
            args.addAll(schemaOptions);
            args.addAll(List.of(extra));

            Result r = launch(args, env);

            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.CREDENTIALS_REJECTED);
            List<String> lines = r.out().lines().toList();
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).startsWith("workspace acme: sync ok — ");
            assertThat(lines.get(1)).startsWith("workspace globex: sync ok — ");
            assertThat(lines.get(2)).startsWith("workspace initech: sync failed (exit 3) — ");
            assertThat(r.err()).contains("error: workspace initech: Clari rejected the credentials (HTTP 401")
                    // the hint names the workspace's own keys, not the shared clari.api.key it does not use
                    .contains("check clari.workspace.initech.api-key and clari.workspace.initech.api-password"
                            + " (env CLARI_WORKSPACE_INITECH_API_KEY, CLARI_WORKSPACE_INITECH_API_PASSWORD); nothing was written")
                    .doesNotContain("workspace acme:").doesNotContain("workspace globex:");
            // the advice names the workspace's own keys (they never fall back to clari.api.*)
            String ownKeys = "check clari.workspace.initech.api-key and clari.workspace.initech.api-password "
                    + "(env CLARI_WORKSPACE_INITECH_API_KEY, CLARI_WORKSPACE_INITECH_API_PASSWORD); nothing was written";
            assertThat(r.err()).contains(ownKeys).doesNotContain("clari.api.key");
            try (Connection c = connect.open()) {
                assertExact(simA, c, schemaOf.getOrDefault("acme", "acme"));
                assertExact(simG, c, schemaOf.getOrDefault("globex", "globex"));
                String bad = schemaOf.getOrDefault("initech", "initech");
                assertThat(scalar(c, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + bad
                        + "' AND table_name NOT LIKE '\\_%' ESCAPE '\\'")).as("no data table, no view of the rejected workspace").isZero();
                assertThat(scalar(c, "SELECT COUNT(*) FROM " + bad + "._sync_runs WHERE outcome = 'failed'")).isEqualTo(1);
                assertThat(scalar(c, "SELECT COUNT(*) FROM " + bad + "._sync_runs WHERE message LIKE '%clari.workspace.initech.api-key%'"))
                        .as("the run log gives the same advice").isEqualTo(1);
            }
            // sql and report read one workspace, picked with --workspace
            List<String> options = args.subList(1, args.size());
            Result sql = launch(with(List.of("sql", "SELECT COUNT(*) AS n FROM calls", "--format=csv", "--workspace=globex"), options), env);
            assertThat(sql.code()).as(sql.err()).isZero();
            assertThat(sql.out()).isEqualTo("n\r\n40\r\n");
            Result ambiguous = launch(with(List.of("sql", "SELECT 1"), options), env);
            assertThat(ambiguous.code()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
            assertThat(ambiguous.err()).contains("--workspace=<name> (acme, globex, initech)");
            Result report = launch(with(with(List.of("report", "--workspace=acme", "--report.out=" + dir.resolve("report.html")), options),
                    "--clari.workspaces.parallelism=1"), env);
            assertThat(report.code()).as(report.err()).isZero();
            assertThat(dir.resolve("report-acme.html")).exists();
            assertThat(dir.resolve("report.html")).doesNotExist();
            assertThat(simI.requests().countStatus(401)).as("one request, never retried").isEqualTo(1);
            // check tries each workspace in turn: warehouse and credentials, lines prefixed, the most severe exit code
            Result check = launch(with(List.of("check"), options), env);
            assertThat(check.code()).as(check.out() + check.err()).isEqualTo(ExitCodes.CREDENTIALS_REJECTED);
            assertThat(check.out().lines().filter(l -> l.contains(": clari api: ok (")).map(l -> l.substring(0, l.indexOf(':'))))
                    .containsExactly("workspace acme", "workspace globex");
            assertThat(check.out()).contains("workspace acme: warehouse: ok (", "workspace initech: warehouse: ok (");
            assertThat(check.err()).contains("error: workspace initech: Clari rejected the credentials (HTTP 401")
                    .contains("check clari.workspace.initech.api-key and clari.workspace.initech.api-password"
                            + " (env CLARI_WORKSPACE_INITECH_API_KEY, CLARI_WORKSPACE_INITECH_API_PASSWORD); nothing was written")
                    .doesNotContain("workspace acme").doesNotContain("workspace globex");
            assertThat(check.err()).contains(ownKeys).doesNotContain("clari.api.key");
            assertThat(simI.requests().countStatus(401)).isEqualTo(2);
            // the two good workspaces were synced at the same time: each one's requests began before the other's ended
            assertThat(simA.requests().firstArrivalNanos()).isLessThan(simG.requests().lastArrivalNanos());
            assertThat(simG.requests().firstArrivalNanos()).isLessThan(simA.requests().lastArrivalNanos());
        }
    }

    /** A workspace whose weekly quota is spent stops (exit 4, resumes next week); the other completes exact. */
    @Test
    void should_stop_the_workspace_whose_quota_is_spent_while_the_other_completes() throws Exception {
        SimulatorConfig acme = SimulatorConfig.builder().callCount(30).seed(3).apiKey("key-acme").apiPassword("pw-acme").build();
        SimulatorConfig globex = SimulatorConfig.builder().callCount(40).seed(5).apiKey("key-globex").apiPassword("pw-globex").build();
        try (ClariSimulator simA = ClariSimulator.start(acme); ClariSimulator simG = ClariSimulator.start(globex)) {
            Map<String, String> env = new HashMap<>();
            credentials(env, "acme", acme);
            credentials(env, "globex", globex);
            Path db = dir.resolve("quota.duckdb");
            List<String> args = new ArrayList<>(common("jdbc:duckdb:" + db));
            args.add("--clari.workspaces=acme,globex");
            args.add("--clari.workspaces.parallelism=2");
            args.add("--clari.api.quota-margin=10");
            args.add("--clari.workspace.acme.base-url=" + simA.baseUrl());
            args.add("--clari.workspace.globex.base-url=" + simG.baseUrl());
            args.add("--clari.workspace.globex.weekly-quota=30"); // 20 requests above the reserve, fewer than its calls need

            Result r = launch(args, env);

            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.QUOTA_EXHAUSTED);
            List<String> lines = r.out().lines().toList();
            assertThat(lines.get(0)).startsWith("workspace acme: sync ok — ");
            assertThat(lines.get(1)).startsWith("workspace globex: sync failed (exit 4) — ");
            assertThat(r.err()).contains("error: workspace globex: ").doesNotContain("workspace acme:");
            assertThat(simG.requests().total()).as("globex stays within its quota's budget").isLessThanOrEqualTo(20);
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db)) {
                assertExact(simA, c, "acme");
            }
        }
    }

    @Test
    void should_cover_every_workspace_exactly_once_with_two_shards_running_concurrently_against_one_postgresql() throws Exception {
        PostgresTestServer.Connection pg = PostgresTestServer.get();
        String prefix = PostgresTestServer.freshSchema("shard");
        List<String> names = List.of("north", "south", "east", "west");
        List<ClariSimulator> sims = new ArrayList<>();
        try {
            Map<String, String> env = new HashMap<>();
            List<String> args = new ArrayList<>(common(pg.url()));
            args.add("--warehouse.user=" + pg.user());
            args.add("--warehouse.password=" + pg.password());
            args.add("--clari.workspaces=" + String.join(",", names));
            for (int i = 0; i < names.size(); i++) {
                // a modest simulator rate, so each workspace's sync lasts long enough for the shards to overlap
                SimulatorConfig config = SimulatorConfig.builder().callCount(30 + 10 * i).seed(40 + i).rateLimitPerSecond(40)
                        .apiKey("key-" + names.get(i)).apiPassword("pw-" + names.get(i)).build();
                ClariSimulator sim = ClariSimulator.start(config);
                sims.add(sim);
                credentials(env, names.get(i), config);
                args.add("--clari.workspace." + names.get(i) + ".base-url=" + sim.baseUrl());
                args.add("--clari.workspace." + names.get(i) + ".rate-limit=35");
                args.add("--clari.workspace." + names.get(i) + ".schema=" + prefix + "_" + names.get(i));
            }
            CompletableFuture<Result> shard0 = CompletableFuture.supplyAsync(() -> launch(with(args, "--clari.workspaces.shard=0/2"), env));
            CompletableFuture<Result> shard1 = CompletableFuture.supplyAsync(() -> launch(with(args, "--clari.workspaces.shard=1/2"), env));
            Result r0 = shard0.get();
            Result r1 = shard1.get();
            assertThat(r0.code()).as(r0.out() + r0.err()).isZero();
            assertThat(r1.code()).as(r1.out() + r1.err()).isZero();
            // sorted east, north, south, west: shard 0 takes east and south, shard 1 north and west
            assertThat(r0.out().lines().map(l -> l.substring(0, l.indexOf(':')))).containsExactly("workspace south", "workspace east");
            assertThat(r1.out().lines().map(l -> l.substring(0, l.indexOf(':')))).containsExactly("workspace north", "workspace west");
            long[] span0 = null;
            long[] span1 = null;
            try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password())) {
                for (int i = 0; i < names.size(); i++) {
                    String schema = prefix + "_" + names.get(i);
                    assertExact(sims.get(i), c, schema);
                    long[] span = {scalar(c, "SELECT CAST(EXTRACT(EPOCH FROM started_at) * 1000 AS BIGINT) FROM " + schema + "._sync_runs"),
                        scalar(c, "SELECT CAST(EXTRACT(EPOCH FROM ended_at) * 1000 AS BIGINT) FROM " + schema + "._sync_runs")};
                    boolean first = names.get(i).equals("east") || names.get(i).equals("south");
                    if (first) {
                        span0 = widen(span0, span);
                    } else {
                        span1 = widen(span1, span);
                    }
                }
            }
            // the two shards wrote into the one database at the same time (per-workspace locks, not one global lock)
            assertThat(span0[0]).isLessThan(span1[1]);
            assertThat(span1[0]).isLessThan(span0[1]);
        } finally {
            sims.forEach(ClariSimulator::close);
        }
    }

    @Test
    void should_refuse_a_workspace_another_process_is_syncing_with_exit_5_while_the_others_complete() throws Exception {
        PostgresTestServer.Connection pg = PostgresTestServer.get();
        String prefix = PostgresTestServer.freshSchema("busy");
        SimulatorConfig acme = SimulatorConfig.builder().callCount(10).seed(12).apiKey("key-acme").apiPassword("pw-acme").build();
        SimulatorConfig globex = SimulatorConfig.builder().callCount(10).seed(13).apiKey("key-globex").apiPassword("pw-globex").build();
        try (ClariSimulator simA = ClariSimulator.start(acme); ClariSimulator simG = ClariSimulator.start(globex);
             // another shard (another session) holds globex's advisory lock
             var held = dev.clarisync.warehouse.Warehouse.open(pg.url(), pg.user(), pg.password(), prefix + "_globex")) {
            Map<String, String> env = new HashMap<>(Map.of("WAREHOUSE_USER", pg.user(), "WAREHOUSE_PASSWORD", pg.password()));
            credentials(env, "acme", acme);
            credentials(env, "globex", globex);
            List<String> args = new ArrayList<>(common(pg.url()));
            args.addAll(List.of("--clari.workspaces=acme,globex", "--clari.workspace.acme.base-url=" + simA.baseUrl(),
                    "--clari.workspace.globex.base-url=" + simG.baseUrl(), "--clari.workspace.acme.schema=" + prefix + "_acme",
                    "--clari.workspace.globex.schema=" + prefix + "_globex"));
            Result r = launch(args, env);
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.WAREHOUSE_BUSY);
            assertThat(r.out().lines().toList()).hasSize(2);
            assertThat(r.out()).contains("workspace acme: sync ok — ").contains("workspace globex: sync failed (exit 5) — ");
            assertThat(r.err()).contains("error: workspace globex: ").contains("is locked by");
            assertThat(simG.requests().total()).as("nothing asked of the refused workspace").isZero();
            try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password())) {
                assertExact(simA, c, prefix + "_acme");
            }
        }
    }

    @Test
    void should_label_each_workspaces_metrics_and_report_each_in_readiness_staying_ready_while_one_is_rejected() throws Exception {
        SimulatorConfig acme = SimulatorConfig.builder().callCount(15).seed(9).apiKey("key-acme").apiPassword("pw-acme").build();
        try (ClariSimulator simA = ClariSimulator.start(acme); ClariSimulator simI = ClariSimulator.start(SimulatorConfig.builder()
                .callCount(5).seed(8).build())) {
            Map<String, String> env = new HashMap<>();
            credentials(env, "acme", acme);
            env.put("CLARI_WORKSPACE_INITECH_API_KEY", "revoked");
            env.put("CLARI_WORKSPACE_INITECH_API_PASSWORD", "revoked-too");
            Map<String, String> o = new HashMap<>();
            for (String a : common("jdbc:duckdb:" + dir.resolve("clari.duckdb")).subList(1, 8)) {
                o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
            o.put("clari.workspaces", "acme,initech,umbrella");
            o.put("clari.workspace.acme.base-url", simA.baseUrl().toString());
            o.put("clari.workspace.initech.base-url", simI.baseUrl().toString());
            o.put("clari.workspace.umbrella.base-url", simI.baseUrl().toString());
            env.put("CLARI_WORKSPACE_UMBRELLA_API_KEY", "k");
            env.put("CLARI_WORKSPACE_UMBRELLA_API_PASSWORD", "p");
            Map<String, String> resolved = dev.clarisync.config.SettingsSource.resolve(o, env, dir);
            // umbrella's schema is held by another writer: that workspace is left out, and readiness says so
            try (var holder = dev.clarisync.warehouse.Warehouse.open("jdbc:duckdb:" + dir.resolve("clari.duckdb"), "", "", "umbrella");
                 var app = dev.clarisync.camel.ConnectorApplication.start(new dev.clarisync.config.ConnectorPlan(dev.clarisync.config.Workspaces.from(resolved, true), 2), "sync")) {
                Map<String, SyncOutcome> outcomes = app.syncAll();
                assertThat(outcomes.get("acme").kind()).isEqualTo(OutcomeKind.OK);
                assertThat(outcomes.get("initech").kind()).isEqualTo(OutcomeKind.CREDENTIALS_REJECTED);
                String scrape = app.context().getRegistry()
                        .lookupByNameAndType("metricsRegistry", io.micrometer.prometheusmetrics.PrometheusMeterRegistry.class).scrape();
                assertThat(scrape).contains("clari_sync_runs_total{outcome=\"succeeded\",workspace=\"acme\"} 1.0")
                        .contains("clari_sync_runs_total{outcome=\"failed\",workspace=\"initech\"} 1.0")
                        .contains("clari_sync_runs_total{outcome=\"failed\",workspace=\"acme\"} 0.0")
                        .contains("clari_api_requests_total{endpoint=\"/users\",status=\"401\",workspace=\"initech\"} 1.0")
                        .contains("clari_api_requests_total{endpoint=\"/users\",status=\"200\",workspace=\"acme\"} 1.0")
                        .doesNotContain("clari_sync_runs_total{outcome=\"succeeded\"}");
                var health = app.context().getRegistry().lookupByNameAndType("clariReadiness", org.apache.camel.health.HealthCheck.class).call();
                assertThat(health.getState()).isEqualTo(org.apache.camel.health.HealthCheck.State.UP);
                assertThat(health.getDetails()).containsEntry("workspace.acme", "succeeded");
                assertThat(String.valueOf(health.getDetails().get("workspace.initech"))).startsWith("failed: Clari rejected the credentials");
                assertThat(String.valueOf(health.getDetails().get("workspace.umbrella")))
                        .startsWith("not synced: its warehouse did not open: ").contains("already open");
                assertThat(outcomes).doesNotContainKey("umbrella");
            }
        }
    }

    private static long[] widen(long[] span, long[] by) {
        return span == null ? by : new long[] {Math.min(span[0], by[0]), Math.max(span[1], by[1])};
    }

    private static List<String> with(List<String> args, String more) {
        return with(args, List.of(more));
    }

    private static List<String> with(List<String> args, List<String> more) {
        List<String> out = new ArrayList<>(args);
        out.addAll(more);
        return out;
    }

    private static void credentials(Map<String, String> env, String name, SimulatorConfig config) {
        String n = name.toUpperCase(java.util.Locale.ROOT);
        env.put("CLARI_WORKSPACE_" + n + "_API_KEY", config.apiKey());
        env.put("CLARI_WORKSPACE_" + n + "_API_PASSWORD", config.apiPassword());
    }

    private List<String> common(String url) {
        return List.of("sync", "--warehouse.url=" + url, "--clari.api.rate-limit=1000", "--clari.sync.start-date=2015-01-01",
                "--clari.api.retry-delay=PT0.01S", "--clari.api.max-retry-delay=PT0.1S", "--clari.api.throttle-delay=PT0.05S",
                "--clari.api.throttle-pause=PT0.05S");
    }

    private Result launch(List<String> args, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Launcher.run(args.toArray(String[]::new), env, dir, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    interface Connect {
        Connection open() throws Exception;
    }

    /** The workspace's schema holds exactly its simulator's calls, users and ready calls' details, and only its requests reached it. */
    private static void assertExact(ClariSimulator sim, Connection c, String schema) throws Exception {
        List<String> ready = sim.data().callIds().stream()
                .filter(id -> StreamCatalog.READY.contains(sim.data().listItem(id).path("status").asText())).toList();
        assertThat(ready).isNotEmpty();
        String s = schema + ".";
        assertThat(strings(c, "SELECT id FROM " + s + "calls")).as(schema).isEqualTo(new HashSet<>(sim.data().callIds()));
        assertThat(scalar(c, "SELECT COUNT(*) FROM " + s + "calls")).isEqualTo(sim.data().size());
        assertThat(strings(c, "SELECT id FROM " + s + "call_details")).isEqualTo(new HashSet<>(ready));
        Set<String> userIds = new HashSet<>();
        sim.data().users().forEach(u -> userIds.add(u.path("id").asText()));
        assertThat(strings(c, "SELECT id FROM " + s + "users")).isEqualTo(userIds);
        long turns = ready.stream().mapToLong(id -> sim.data().details(id).path("transcript").size()).sum();
        assertThat(scalar(c, "SELECT COUNT(*) FROM " + s + "call_details__transcript")).isEqualTo(turns);
        assertThat(scalar(c, "SELECT COUNT(*) FROM " + s + "_details_backlog")).isZero();
        assertThat(scalar(c, "SELECT COUNT(*) FROM " + s + "_sync_runs")).isEqualTo(1);
        assertThat(scalar(c, "SELECT COUNT(*) FROM " + s + "_sync_runs WHERE outcome = 'succeeded'")).isEqualTo(1);
        assertThat(scalar(c, "SELECT SUM(requests) FROM " + s + "_request_ledger")).isEqualTo(sim.requests().total());
        assertThat(scalar(c, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + schema
                + "' AND table_name LIKE 'v\\_%' ESCAPE '\\'")).as("views in the workspace's schema").isPositive();
        assertThat(sim.requests().count("/call-details")).isEqualTo(ready.size());
        assertThat(sim.requests().count("/users")).as("synced exactly once").isEqualTo(1);
    }
}
