package dev.clarisync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.SyncHarness;
import dev.clarisync.sim.CallStatus;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.sim.SimulatorData;
import dev.clarisync.warehouse.PostgresTestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History of calls end to end: real syncs from the simulator, a status change and a deal moved in the CRM between
 * them, on DuckDB and on PostgreSQL. Each changed call gets one closed and one current version meeting at the same
 * instant, every call has exactly one current version, and a rerun adds none.
 */
class HistorySyncTest {
    @TempDir
    Path dir;

    /** Reads the warehouse under test with plain JDBC (independent of the connector's own code). */
    interface Db {
        Connection connect() throws SQLException;

        String t(String table);
    }

    @Test
    void should_version_status_and_deal_changes_between_syncs_on_duckdb() throws Exception {
        try (SyncHarness h = harness()) {
            check(h, new Db() {
                public Connection connect() throws SQLException {
                    return h.connect();
                }

                public String t(String table) {
                    return table;
                }
            });
        }
    }

    @Test
    void should_version_status_and_deal_changes_between_syncs_on_postgresql() throws Exception {
        PostgresTestServer.Connection pg = PostgresTestServer.get();
        String schema = PostgresTestServer.freshSchema("hsync");
        try (SyncHarness h = harness()) {
            h.option("warehouse.url", pg.url()).option("warehouse.user", pg.user()).option("warehouse.schema", schema);
            check(h, new Db() {
                public Connection connect() throws SQLException {
                    return DriverManager.getConnection(pg.url(), pg.user(), pg.password());
                }

                public String t(String table) {
                    return "\"" + schema + "\".\"" + table + "\"";
                }
            });
            try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password()); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            }
        }
    }

    private SyncHarness harness() {
        return new SyncHarness(SimulatorConfig.builder().callCount(40).build(), dir)
                .option("clari.sync.streams", "calls,call_details")
                .option("clari.history.streams", "calls,call_details");
    }

    private void check(SyncHarness h, Db db) throws Exception {
        sync(h);
        SimulatorData sim = h.sim.data();
        long calls = scalar(db, "SELECT count(*) FROM " + db.t("calls"));
        assertThat(scalar(db, "SELECT count(*) FROM " + db.t("calls__history"))).isEqualTo(calls).isPositive();

        List<String> ids = sim.callIds();
        String statusChanged = ids.get(0);
        CallStatus before = sim.status(statusChanged);
        sim.changeStatus(statusChanged, before == CallStatus.PROCESSED ? CallStatus.POST_PROCESSING_DONE : CallStatus.PROCESSED);
        String dealMoved = ids.stream().skip(1).filter(id -> sim.listItem(id).has("deal_stage_before_call")).findFirst().orElseThrow();
        String stage = sim.listItem(dealMoved).get("deal_stage_before_call").asText().equals("Closed Won") ? "Closed Lost" : "Closed Won";
        sim.moveDeal(dealMoved, stage, 123_000);
        sim.touch(dealMoved); // a CRM edit alone waits for the list reconciliation; the touch brings it to this sync
        sync(h);

        for (String id : List.of(statusChanged, dealMoved)) {
            List<String> spans = strings(db, "SELECT " + text("_valid_from") + " || '/' || COALESCE(" + text("_valid_to")
                    + ", 'current') FROM " + db.t("calls__history") + " WHERE id = '" + id + "' ORDER BY _valid_from");
            assertThat(spans).as("versions of %s", id).hasSize(2);
            String closedAt = spans.get(0).split("/")[1];
            assertThat(spans.get(1)).as("the new version starts where the old one ends").isEqualTo(closedAt + "/current");
        }
        assertThat(strings(db, "SELECT status FROM " + db.t("calls__history") + " WHERE id = '" + statusChanged
                + "' ORDER BY _valid_from")).containsExactly(before.name(), sim.status(statusChanged).name());
        assertThat(strings(db, "SELECT deal_stage_before_call || ' ' || deal_value FROM " + db.t("calls__history") + " WHERE id = '"
                + dealMoved + "' AND _valid_to IS NULL")).containsExactly(stage + " 123000");
        assertThat(scalar(db, "SELECT count(*) FROM " + db.t("calls__history"))).isEqualTo(calls + 2);
        assertExactlyOneCurrentVersion(db);

        long versions = scalar(db, "SELECT count(*) FROM " + db.t("calls__history"));
        long detailVersions = scalar(db, "SELECT count(*) FROM " + db.t("call_details__history"));
        sync(h);
        assertThat(scalar(db, "SELECT count(*) FROM " + db.t("calls__history"))).as("a rerun adds no version").isEqualTo(versions);
        assertThat(scalar(db, "SELECT count(*) FROM " + db.t("call_details__history"))).isEqualTo(detailVersions);
        assertExactlyOneCurrentVersion(db);
    }

    private static String text(String column) {
        return "CAST(" + column + " AS VARCHAR)";
    }

    private static void assertExactlyOneCurrentVersion(Db db) throws SQLException {
        for (String table : List.of("calls", "call_details")) { // nothing is deleted in these syncs
            assertThat(scalar(db, "SELECT count(*) FROM " + db.t(table) + " r WHERE (SELECT count(*) FROM "
                    + db.t(table + "__history") + " h WHERE h.id = r.id AND h._valid_to IS NULL) <> 1"))
                    .as("rows of %s without exactly one current version", table).isZero();
        }
    }

    private static void sync(SyncHarness h) {
        SyncHarness.Result r = h.run("sync");
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    private static long scalar(Db db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> strings(Db db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
