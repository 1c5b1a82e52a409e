package dev.clarisync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.SyncHarness;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.warehouse.PostgresTestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "DuckDB or JDBC" made true: the same sync from the same simulator into DuckDB and into a real
 * PostgreSQL server lands the same tables, row counts and values, compared table by table.
 */
class CrossWarehouseTest {
    @TempDir
    Path dir;

    static final List<String> IGNORED = List.of("_synced_at", "processed_at", "updated_at", "changed_at", "created_at",
            "enqueued_at", "started_at", "ended_at", "run_id", "rows_written", "message", "_valid_from", "_valid_to",
            "_version_hash"); // history: versions open at each run's time; the hash is of each database's own text of a value

    @Test
    void should_land_the_same_tables_and_values_in_postgresql_as_in_duckdb() throws Exception {
        PostgresTestServer.Connection pg = PostgresTestServer.get();
        String schema = PostgresTestServer.freshSchema("cross");
        SimulatorConfig config = SimulatorConfig.builder().callCount(150).build();
        Map<String, Map<String, List<String>>> duck;
        Map<String, Map<String, List<String>>> post;
        try (SyncHarness h = new SyncHarness(config, dir)) {
            SyncHarness.Result d = h.run("sync");
            assertThat(d.exitCode()).as(d.err()).isZero();
            SyncHarness.Result p = h.runWith(Map.of("CLARI_API_KEY", config.apiKey(), "CLARI_API_PASSWORD", config.apiPassword(),
                    "WAREHOUSE_PASSWORD", pg.password() == null ? "" : pg.password()), "sync",
                    "--warehouse.url=" + pg.url(), "--warehouse.user=" + pg.user(), "--warehouse.schema=" + schema);
            assertThat(p.exitCode()).as(p.err()).isZero();
            assertThat(p.err()).contains("Opened postgresql warehouse");
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + h.db)) {
                duck = dump(c, "main");
            }
            try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password())) {
                post = dump(c, schema);
            }
        }
        assertThat(post.keySet()).isEqualTo(duck.keySet());
        assertThat(duck.keySet()).contains("calls", "call_details__transcript", "users", "_sync_state", "_processed", "scorecards",
                "scorecards__questions_score", "scorecard_templates", "scorecard_templates__questions", "topics");
        for (String table : duck.keySet()) {
            assertThat(post.get(table).keySet()).as("columns of %s", table).isEqualTo(duck.get(table).keySet());
            for (String column : duck.get(table).keySet()) {
                assertThat(post.get(table).get(column)).as("%s.%s", table, column).isEqualTo(duck.get(table).get(column));
            }
        }
    }

    /** table → column → values in key order, normalised to text (timestamps as UTC instants). */
    static Map<String, Map<String, List<String>>> dump(Connection c, String schema) throws SQLException {
        Map<String, Map<String, List<String>>> out = new TreeMap<>();
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema = '" + schema + "'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        for (String table : tables) {
            if (table.equals("_sync_runs") || table.equals("_request_ledger")) {
                continue; // per-run bookkeeping: different ids and times by nature
            }
            Map<String, List<String>> columns = new TreeMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"" + schema + "\".\"" + table + "\"")) {
                ResultSetMetaData md = rs.getMetaData();
                List<List<String>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.add(text(rs.getObject(i)));
                    }
                    rows.add(row);
                }
                rows.sort((a, b) -> String.join("\u0001", a).compareTo(String.join("\u0001", b)));
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    String name = md.getColumnName(i);
                    // cursors and reconcile marks are each run's own start time: keys compared, values not
                    if (IGNORED.contains(name) || table.equals("_sync_state") && name.equals("value")) {
                        continue;
                    }
                    List<String> values = new ArrayList<>();
                    for (List<String> row : rows) {
                        values.add(row.get(i - 1));
                    }
                    columns.put(name, values);
                }
            }
            out.put(table, columns);
        }
        return out;
    }

    static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant().toString();
        }
        if (v instanceof java.time.LocalDateTime l) {
            return l.toInstant(java.time.ZoneOffset.UTC).toString();
        }
        if (v instanceof Instant i) {
            return i.toString();
        }
        if (v instanceof Number n) {
            return Double.toString(n.doubleValue());
        }
        return v.toString();
    }
}
