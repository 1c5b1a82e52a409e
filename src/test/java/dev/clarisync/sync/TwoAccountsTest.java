package dev.clarisync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.camel.ConnectorApplication;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.SettingsSource;
import dev.clarisync.routes.ExchangeProperties;
import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Clari accounts (two simulators with different data and different credentials) synced at the same
 * time by one connector in one JVM, into two DuckDB files: each warehouse ends exactly as its own
 * simulator's data, and each simulator saw only its own account's requests. Shows that no run state is
 * shared between runs: the engine's beans, routes and throttle are shared, the runs are not.
 */
class TwoAccountsTest {
    @TempDir
    Path dir;

    @Test
    void should_sync_two_accounts_concurrently_in_one_process_and_end_both_exact() throws Exception {
        SimulatorConfig configA = SimulatorConfig.builder().callCount(140).seed(11).apiKey("key-a").apiPassword("pw-a").build();
        SimulatorConfig configB = SimulatorConfig.builder().callCount(90).userCount(7).seed(29).apiKey("key-b").apiPassword("pw-b").build();
        try (ClariSimulator simA = ClariSimulator.start(configA); ClariSimulator simB = ClariSimulator.start(configB)) {
            assertThat(new HashSet<>(simA.data().callIds())).doesNotContainAnyElementsOf(simB.data().callIds());
            Path dbA = dir.resolve("a.duckdb");
            Path dbB = dir.resolve("b.duckdb");
            try (ConnectorApplication app = ConnectorApplication.start(settings(simA, configA, dbA), "sync")) {
                app.addAccount("b", settings(simB, configB, dbB));
                // both syncs sent at once; the Camel way to wait for routes: a NotifyBuilder on clari-sync
                NotifyBuilder bothDone = new NotifyBuilder(app.context()).fromRoute("clari-sync").whenDone(2).create();
                ProducerTemplate template = app.context().createProducerTemplate();
                Future<Exchange> a = template.asyncSend("direct:clari-sync", e -> e.getMessage().setHeader(ExchangeProperties.ACCOUNT_HEADER, Account.DEFAULT));
                Future<Exchange> b = template.asyncSend("direct:clari-sync", e -> e.getMessage().setHeader(ExchangeProperties.ACCOUNT_HEADER, "b"));
                assertThat(bothDone.matches(180, TimeUnit.SECONDS)).as("both syncs ended").isTrue();
                SyncOutcome outA = a.get().getMessage().getBody(SyncOutcome.class);
                SyncOutcome outB = b.get().getMessage().getBody(SyncOutcome.class);
                assertThat(outA.kind()).as(outA.message()).isEqualTo(OutcomeKind.OK);
                assertThat(outB.kind()).as(outB.message()).isEqualTo(OutcomeKind.OK);
                assertThat(outA.runId()).isNotEqualTo(outB.runId());
                assertThat(outA.callsSeen()).isEqualTo(140);
                assertThat(outB.callsSeen()).isEqualTo(90);
            }
            assertExact(simA, dbA);
            assertExact(simB, dbB);
            // the two runs overlapped in time: each started before the other ended
            String span = "SELECT CAST(epoch_ms(started_at) AS BIGINT), CAST(epoch_ms(ended_at) AS BIGINT) FROM _sync_runs";
            long[] runA = span(dbA, span);
            long[] runB = span(dbB, span);
            assertThat(runA[0]).isLessThan(runB[1]);
            assertThat(runB[0]).isLessThan(runA[1]);
        }
    }

    private ConnectorSettings settings(ClariSimulator sim, SimulatorConfig config, Path db) {
        Map<String, String> o = new HashMap<>();
        o.put("clari.api.base-url", sim.baseUrl().toString());
        o.put("warehouse.url", "jdbc:duckdb:" + db);
        o.put("clari.api.rate-limit", "1000");
        o.put("clari.sync.start-date", "2015-01-01");
        Map<String, String> env = Map.of("CLARI_API_KEY", config.apiKey(), "CLARI_API_PASSWORD", config.apiPassword());
        return ConnectorSettings.from(SettingsSource.resolve(o, env, dir), true);
    }

    /** The warehouse holds exactly the simulator's calls, users and finished calls' details, and only its requests reached it. */
    private static void assertExact(ClariSimulator sim, Path db) throws Exception {
        List<String> ready = sim.data().callIds().stream()
                .filter(id -> StreamCatalog.READY.contains(sim.data().listItem(id).path("status").asText())).toList();
        assertThat(ready).isNotEmpty();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db)) {
            assertThat(strings(c, "SELECT id FROM calls")).hasSize(sim.data().size()).isEqualTo(new HashSet<>(sim.data().callIds()));
            assertThat(strings(c, "SELECT id FROM call_details")).isEqualTo(new HashSet<>(ready));
            Set<String> userIds = new HashSet<>();
            sim.data().users().forEach(u -> userIds.add(u.path("id").asText()));
            assertThat(strings(c, "SELECT id FROM users")).isEqualTo(userIds);
            long turns = ready.stream().mapToLong(id -> sim.data().details(id).path("transcript").size()).sum();
            assertThat(scalar(c, "SELECT COUNT(*) FROM call_details__transcript")).isEqualTo(turns);
            assertThat(scalar(c, "SELECT COUNT(*) FROM _details_backlog")).isZero();
            assertThat(scalar(c, "SELECT COUNT(*) FROM _sync_runs WHERE outcome = 'succeeded'")).isEqualTo(1);
            // every request this account made reached its own simulator: the ledger and the simulator agree
            assertThat(scalar(c, "SELECT SUM(requests) FROM _request_ledger")).isEqualTo(sim.requests().total());
        }
        assertThat(sim.requests().count("/call-details")).isEqualTo(ready.size());
        assertThat(sim.requests().count("/users")).isEqualTo(1);
    }

    private static long[] span(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    static Set<String> strings(Connection c, String sql) throws Exception {
        Set<String> out = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static long scalar(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
