package dev.clarisync.camel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.Launcher;
import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.sync.SyncOutcome;
import dev.clarisync.sync.SyncRun;
import dev.clarisync.warehouse.PostgresTestServer;
import dev.clarisync.warehouse.Warehouse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 29 with the real {@code run} service (booted as Camel K boots it: {@link ConnectorConfiguration}, the real route
 * files, a schedule's target {@code clari-sync-all}) against the simulator: the DuckDB file is open only while a sync
 * writes, so other processes ({@code sql}, {@code report}, a read-only DuckDB connection) read it in between, a reader
 * delays a sync and a sync delays a waiting reader, boundedly. On PostgreSQL nothing waits.
 */
class ReadWhileRunningTest {
    private static final Duration CHILD = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void should_let_sql_report_and_a_read_only_connection_open_the_file_between_syncs() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(40).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            Path db = dir.resolve("w.duckdb");
            Main main = start(service(dir, sim, config, "jdbc:duckdb:" + db, "PT30S"));
            try {
                assertThat(warehouse(main).isOpen()).as("released once Camel has started").isFalse();
                assertThat(syncAll(main).get("default").ok()).isTrue();
                assertThat(warehouse(main).isOpen()).as("released after the sync and its views").isFalse();

                assertThat(sql(db, "SELECT count(*) AS n FROM calls")).isEqualTo("40");
                try (ChildProcess report = ChildProcess.start(dir, Launcher.class, "report", "--warehouse.url=jdbc:duckdb:" + db,
                        "--report.out=" + dir.resolve("r.html"))) {
                    assertThat(report.exitCode(CHILD)).as("%s", report.err).isZero();
                }
                assertThat(Files.readString(dir.resolve("r.html"))).contains("<html");
                try (ChildProcess reader = ChildProcess.start(dir, ReadOnlyClient.class, db.toString())) {
                    reader.awaitLine(reader.out, "calls 40"::equals, CHILD);
                    reader.sendLine();
                    assertThat(reader.exitCode(CHILD)).isZero();
                }
                // and the service syncs again afterwards (report wrote views: the file is the service's again)
                sim.data().addCalls(3);
                assertThat(syncAll(main).get("default").ok()).isTrue();
                assertThat(sql(db, "SELECT count(*) AS n FROM calls")).isEqualTo("43");
            } finally {
                main.stop();
            }
        }
    }

    @Test
    void should_wait_for_a_reader_holding_the_file_across_a_scheduled_sync_and_then_land_exact() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(30).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            Path db = dir.resolve("w.duckdb");
            Main main = start(service(dir, sim, config, "jdbc:duckdb:" + db, "PT60S"));
            try {
                assertThat(syncAll(main).get("default").ok()).isTrue();
                sim.data().addCalls(7);
                try (ChildProcess reader = ChildProcess.start(dir, ReadOnlyClient.class, db.toString())) {
                    reader.awaitLine(reader.out, "calls 30"::equals, CHILD);
                    CompletableFuture<Map<String, SyncOutcome>> sync = CompletableFuture.supplyAsync(() -> syncAll(main));
                    assertNotDoneFor(sync, Duration.ofMillis(1500)); // the sync waits for the reader
                    reader.sendLine();
                    reader.awaitLine(reader.out, "closed"::equals, CHILD);
                    SyncOutcome outcome = sync.get(60, TimeUnit.SECONDS).get("default");
                    assertThat(outcome.ok()).as(outcome.message()).isTrue();
                }
                assertThat(sql(db, "SELECT count(*) AS n FROM calls")).isEqualTo("37");
                assertThat(sql(db, "SELECT count(*) AS n FROM call_details")).isEqualTo(sql(db,
                        "SELECT count(*) AS n FROM calls WHERE status IN ('POST_PROCESSING_DONE', 'PROCESSED')"));
                assertThat(sql(db, "SELECT count(*) AS n FROM _sync_runs WHERE outcome <> 'succeeded'")).isEqualTo("0");
            } finally {
                main.stop();
            }
        }
    }

    @Test
    void should_make_sql_with_wait_wait_for_a_sync_in_progress_and_then_answer() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(20).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            Path db = dir.resolve("w.duckdb");
            Main main = start(service(dir, sim, config, "jdbc:duckdb:" + db, "PT30S"));
            try {
                assertThat(syncAll(main).get("default").ok()).isTrue();
                sim.data().addCalls(5);
                PausedSync paused = PausedSync.start(sim, main);
                assertThat(warehouse(main).isOpen()).isTrue();
                try (ChildProcess sql = ChildProcess.start(dir, Launcher.class, "sql", "SELECT count(*) AS n FROM calls",
                        "--format=csv", "--wait=PT60S", "--warehouse.url=jdbc:duckdb:" + db)) {
                    sql.awaitLine(sql.err, l -> l.startsWith("waiting up to PT1M for the warehouse: warehouse is in use"), CHILD);
                    paused.goOn().countDown();
                    assertThat(sql.exitCode(CHILD)).as("%s", sql.err).isZero();
                    assertThat(sql.out).containsExactly("n", "25"); // it answered after the sync, not before
                    assertThat(sql.err).filteredOn(l -> l.startsWith("waiting")).hasSize(1); // one line, not one per attempt
                }
                assertThat(paused.sync().get(60, TimeUnit.SECONDS).get("default").ok()).isTrue();
            } finally {
                main.stop();
            }
        }
    }

    @Test
    void should_stop_cleanly_while_a_sync_waits_for_readers() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(10).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            Path db = dir.resolve("w.duckdb");
            Main main = start(service(dir, sim, config, "jdbc:duckdb:" + db, "PT10M"));
            long stopMillis;
            Map<String, SyncOutcome> outcomes;
            assertThat(syncAll(main).get("default").ok()).isTrue();
            try (ChildProcess reader = ChildProcess.start(dir, ReadOnlyClient.class, db.toString())) {
                reader.awaitLine(reader.out, "calls 10"::equals, CHILD);
                CompletableFuture<Map<String, SyncOutcome>> sync = CompletableFuture.supplyAsync(() -> syncAll(main));
                assertNotDoneFor(sync, Duration.ofMillis(1000));
                long t0 = System.nanoTime();
                main.stop(); // what SIGTERM does: Camel Main's shutdown
                stopMillis = (System.nanoTime() - t0) / 1_000_000;
                outcomes = sync.get(10, TimeUnit.SECONDS);
                reader.sendLine();
                assertThat(reader.exitCode(CHILD)).isZero();
            }
            assertThat(stopMillis).as("not the 45 s graceful-shutdown timeout").isLessThan(10_000);
            assertThat(outcomes.get("default")).as("no sync started").isNull();
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM _sync_runs")) {
                rs.next();
                assertThat(rs.getLong(1)).as("only the first sync").isEqualTo(1);
            }
        }
    }

    @Test
    void should_skip_a_run_after_the_lock_wait_count_it_stay_ready_and_record_it_at_the_next_sync() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(10).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            Path db = dir.resolve("w.duckdb");
            Main main = start(service(dir, sim, config, "jdbc:duckdb:" + db, "PT1S"));
            try {
                assertThat(syncAll(main).get("default").ok()).isTrue();
                try (ChildProcess reader = ChildProcess.start(dir, ReadOnlyClient.class, db.toString())) {
                    reader.awaitLine(reader.out, "calls 10"::equals, CHILD);
                    assertThat(syncAll(main)).containsEntry("default", null);
                    reader.sendLine();
                    assertThat(reader.exitCode(CHILD)).isZero();
                }
                PrometheusMeterRegistry meters = main.getCamelContext().getRegistry()
                        .lookupByNameAndType("metricsRegistry", PrometheusMeterRegistry.class);
                assertThat(meters.scrape()).contains("clari_sync_runs_total{outcome=\"skipped\"} 1.0");
                HealthCheck ready = main.getCamelContext().getRegistry().lookupByNameAndType("clariReadiness", HealthCheck.class);
                assertThat(ready.call().getState()).isEqualTo(HealthCheck.State.UP);
                assertThat(syncAll(main).get("default").ok()).isTrue();
            } finally {
                main.stop();
            }
            assertThat(sql(db, "SELECT outcome FROM _sync_runs WHERE outcome = 'skipped'")).isEqualTo("skipped");
        }
    }

    @Test
    void should_never_release_or_wait_on_postgresql() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(15).build();
        PostgresTestServer.Connection pg = PostgresTestServer.get();
        String schema = PostgresTestServer.freshSchema("rwr");
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            Properties p = service(dir, sim, config, pg.url(), "PT30S");
            p.put("warehouse.user", pg.user());
            p.put("warehouse.password", pg.password());
            p.put("warehouse.schema", schema);
            Main main = start(p);
            try {
                assertThat(syncAll(main).get("default").ok()).isTrue();
                assertThat(warehouse(main).isOpen()).isTrue();
                sim.data().addCalls(2);
                PausedSync paused = PausedSync.start(sim, main);
                // a sync in progress: sql answers at once, with what is committed, and never says it waits
                try (ChildProcess sql = ChildProcess.start(dir, Launcher.class, "sql", "SELECT count(*) AS n FROM calls",
                        "--format=csv", "--wait=PT60S", "--warehouse.url=" + pg.url(), "--warehouse.user=" + pg.user(),
                        "--warehouse.schema=" + schema)) {
                    assertThat(sql.exitCode(CHILD)).as("%s", sql.err).isZero();
                    assertThat(sql.out).containsExactly("n", "15");
                    assertThat(sql.err).noneMatch(l -> l.startsWith("waiting"));
                } finally {
                    paused.goOn().countDown();
                }
                assertThat(paused.sync().get(60, TimeUnit.SECONDS).get("default").ok()).isTrue();
            } finally {
                main.stop();
            }
        }
    }

    // ---- helpers

    private static Properties service(Path dir, ClariSimulator sim, SimulatorConfig config, String url, String lockWait) {
        Properties p = new Properties();
        p.put("report.out", dir.resolve("service-report.html").toString());
        p.put("clari.api.base-url", sim.baseUrl().toString());
        p.put("clari.api.key", config.apiKey());
        p.put("clari.api.password", config.apiPassword());
        p.put("clari.api.rate-limit", "500");
        p.put("clari.sync.start-date", "2015-01-01");
        p.put("clari.sync.lock-wait", lockWait);
        p.put("warehouse.url", url);
        return p;
    }

    /** The run service as Camel K starts it (command run), without the Quartz trigger: the test fires the schedule's target. */
    private static Main start(Properties settings) throws Exception {
        return CamelKStyleBootTest.start(settings);
    }

    /** What the schedule sends: one sync of every workspace; the default account's outcome is null when it was skipped. */
    @SuppressWarnings("unchecked")
    private static Map<String, SyncOutcome> syncAll(Main main) {
        return main.getCamelContext().createProducerTemplate().send("direct:clari-sync-all", e -> { }).getMessage().getBody(Map.class);
    }

    private static Warehouse warehouse(Main main) {
        return main.getCamelContext().getRegistry().lookupByNameAndType("syncRun", SyncRun.class).account("default").warehouse();
    }

    /** One value from the {@code sql} command run as its own process (csv: header, then the value). */
    private String sql(Path db, String query) throws Exception {
        try (ChildProcess sql = ChildProcess.start(dir, Launcher.class, "sql", query, "--format=csv", "--warehouse.url=jdbc:duckdb:" + db)) {
            assertThat(sql.exitCode(CHILD)).as("%s", sql.err).isZero();
            assertThat(sql.out).hasSize(2);
            return sql.out.get(1);
        }
    }

    /** The future stays undone for all of {@code time} (checked as it goes: it fails as soon as the future completes). */
    private static void assertNotDoneFor(CompletableFuture<?> future, Duration time) throws InterruptedException {
        long end = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < end) {
            assertThat(future).as("completed while it should wait").isNotDone();
            Thread.sleep(50);
        }
    }

    /** A sync of the service stopped at its first {@code /calls} request, holding the warehouse, until {@code goOn}. */
    private record PausedSync(CompletableFuture<Map<String, SyncOutcome>> sync, CountDownLatch goOn) {
        static PausedSync start(ClariSimulator sim, Main main) throws InterruptedException {
            CountDownLatch inSync = new CountDownLatch(1);
            CountDownLatch goOn = new CountDownLatch(1);
            sim.onCallsRequest(1, () -> {
                inSync.countDown();
                await(goOn);
            });
            CompletableFuture<Map<String, SyncOutcome>> sync = CompletableFuture.supplyAsync(() -> syncAll(main));
            assertThat(inSync.await(30, TimeUnit.SECONDS)).isTrue();
            return new PausedSync(sync, goOn);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
