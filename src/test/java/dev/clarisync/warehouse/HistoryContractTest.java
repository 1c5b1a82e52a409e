package dev.clarisync.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.schema.Flattener;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History tables ({@link HistoryTables}) on DuckDB and on PostgreSQL: versions follow content, are closed and opened
 * with the same instant, survive a rollback exactly, seed an existing warehouse, follow new columns, and close when a
 * row is removed or flagged deleted.
 */
abstract class HistoryContractTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T1 = Instant.parse("2025-06-01T10:00:00Z");
    static final Instant T2 = Instant.parse("2025-06-02T10:00:00Z");
    static final Instant T3 = Instant.parse("2025-06-03T10:00:00Z");

    Warehouse wh;

    abstract Warehouse open();

    @BeforeEach
    void start() {
        wh = open();
        wh.keepHistory(List.of("calls"));
    }

    @AfterEach
    void stop() {
        wh.close();
    }

    static ObjectNode call(String id, String status, String stage) {
        ObjectNode n = JSON.createObjectNode().put("id", id).put("status", status).put("time", "2025-05-30T09:00:00Z");
        n.put("deal_stage_before_call", stage);
        n.putArray("users").addObject().put("user_id", "u1");
        return n;
    }

    void write(Instant at, ObjectNode... calls) {
        wh.inTransaction(tx -> tx.upsert(Flattener.flatten("calls", List.of(calls)), at));
    }

    /** id|status|valid_from|valid_to of every version, in order. */
    List<String> versions() {
        return wh.query("SELECT id, status, _valid_from, _valid_to FROM " + wh.table("calls__history")
                        + " ORDER BY id, _valid_from, _valid_to NULLS LAST").stream()
                .map(r -> r.get("id") + "|" + r.get("status") + "|" + r.get("_valid_from") + "|" + r.get("_valid_to")).toList();
    }

    @Test
    void should_open_a_version_per_change_and_close_the_previous_one_at_the_same_instant() {
        write(T1, call("c1", "PROCESSING", "Demo"), call("c2", "PROCESSING", "Demo"));
        write(T2, call("c1", "PROCESSED", "Demo"), call("c2", "PROCESSING", "Demo")); // c2 written again, unchanged
        write(T3, call("c1", "PROCESSED", "Proposal"));
        write(T3, call("c1", "PROCESSED", "Proposal")); // a rerun adds nothing
        assertThat(versions()).containsExactly(
                "c1|PROCESSING|" + T1 + "|" + T2,
                "c1|PROCESSED|" + T2 + "|" + T3,
                "c1|PROCESSED|" + T3 + "|null",
                "c2|PROCESSING|" + T1 + "|null");
        assertThat(wh.query("SELECT deal_stage_before_call AS s FROM " + wh.table("calls__history") + " WHERE id = 'c1' ORDER BY _valid_from")
                .stream().map(r -> r.get("s")).toList()).containsExactly("Demo", "Demo", "Proposal");
        assertThat(wh.tableExists("calls__users__history")).as("child tables are not versioned").isFalse();
    }

    @Test
    void should_leave_no_version_of_a_rolled_back_write() {
        write(T1, call("c1", "PROCESSING", "Demo"));
        try {
            wh.inTransaction(tx -> {
                tx.upsert(Flattener.flatten("calls", List.of(call("c1", "PROCESSED", "Demo"))), T2);
                throw new IllegalStateException("crash after the write");
            });
        } catch (IllegalStateException expected) {
            // the transaction is gone, versions included
        }
        assertThat(versions()).containsExactly("c1|PROCESSING|" + T1 + "|null");
        write(T2, call("c1", "PROCESSED", "Demo"));
        assertThat(versions()).containsExactly("c1|PROCESSING|" + T1 + "|" + T2, "c1|PROCESSED|" + T2 + "|null");
    }

    @Test
    void should_seed_one_version_per_row_of_an_existing_warehouse_and_follow_new_columns() {
        wh.keepHistory(List.of());
        write(T1, call("c1", "PROCESSED", "Demo"), call("c2", "PROCESSING", "Demo"));
        wh.inTransaction(tx -> tx.markDeleted("calls", List.of("c2")));
        assertThat(wh.tableExists("calls__history")).isFalse();
        wh.keepHistory(List.of("calls"));
        wh.runLog().startRun("r1", "sync", T2); // a sync's first transaction seeds
        assertThat(versions()).containsExactly("c1|PROCESSED|" + T1 + "|null");
        ObjectNode withNewField = call("c1", "PROCESSED", "Demo").put("deal_value", "5000");
        write(T3, withNewField);
        assertThat(wh.columns("calls__history")).contains("deal_value");
        assertThat(versions()).containsExactly("c1|PROCESSED|" + T1 + "|" + T3, "c1|PROCESSED|" + T3 + "|null");
        // a column added later does not change the hash of rows that have no value in it
        write(T3.plusSeconds(60), call("c3", "PROCESSED", "Demo"));
        write(T3.plusSeconds(120), call("c3", "PROCESSED", "Demo").put("deal_close_date", "2025-09-01T00:00:00Z"));
        write(T3.plusSeconds(180), call("c1", "PROCESSED", "Demo").put("deal_value", "5000"));
        assertThat(versions()).containsExactly("c1|PROCESSED|" + T1 + "|" + T3, "c1|PROCESSED|" + T3 + "|null",
                "c3|PROCESSED|" + T3.plusSeconds(60) + "|" + T3.plusSeconds(120), "c3|PROCESSED|" + T3.plusSeconds(120) + "|null");
    }

    @Test
    void should_close_the_last_version_of_a_removed_or_deleted_row_and_reopen_when_it_returns() {
        write(T1, call("c1", "PROCESSED", "Demo"), call("c2", "PROCESSED", "Demo"), call("c3", "PROCESSED", "Demo"));
        wh.useClock(java.time.Clock.fixed(T2, java.time.ZoneOffset.UTC));
        wh.inTransaction(tx -> tx.markDeleted("calls", List.of("c1")));
        wh.inTransaction(tx -> tx.deleteAllExcept("calls", Set.of("c1", "c3")));
        assertThat(versions()).containsExactly("c1|PROCESSED|" + T1 + "|" + T2, "c2|PROCESSED|" + T1 + "|" + T2,
                "c3|PROCESSED|" + T1 + "|null");
        write(T3, call("c1", "PROCESSED", "Demo"));
        assertThat(wh.query("SELECT count(*) AS n FROM " + wh.table("calls__history") + " WHERE id = 'c1' AND _valid_to IS NULL"))
                .containsExactly(Map.of("n", 1L));
    }

    /** DuckDB: a new file per test. */
    static class OnDuckDb extends HistoryContractTest {
        @TempDir
        java.nio.file.Path dir;

        @Override
        Warehouse open() {
            return Warehouse.open("jdbc:duckdb:" + dir.resolve("h.duckdb"), "", "", null);
        }
    }

    /** PostgreSQL ({@link PostgresTestServer}): a new schema per test, dropped afterwards. */
    static class OnPostgres extends HistoryContractTest {
        PostgresTestServer.Connection pg = PostgresTestServer.get();
        String schema = PostgresTestServer.freshSchema("hist");

        @Override
        Warehouse open() {
            return Warehouse.open(pg.url(), pg.user(), pg.password(), schema);
        }

        @AfterEach
        void dropSchema() throws Exception {
            wh.close();
            try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password()); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            }
        }
    }
}
