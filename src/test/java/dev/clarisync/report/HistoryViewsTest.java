package dev.clarisync.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.schema.Flattener;
import dev.clarisync.warehouse.PostgresTestServer;
import dev.clarisync.warehouse.Warehouse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code v_deal_stage_history} and {@code v_deal_stage_movement} over real history tables, on DuckDB and PostgreSQL:
 * a deal moves Demo → Proposal → Closed Won over three weeks, and a stale record of another call of the deal, still
 * showing Demo after the close, is not a movement.
 */
abstract class HistoryViewsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant W1 = Instant.parse("2025-06-02T10:00:00Z"); // Mondays, a week apart
    static final Instant W2 = Instant.parse("2025-06-10T10:00:00Z");
    static final Instant W3 = Instant.parse("2025-06-17T10:00:00Z");
    static final Instant W4 = Instant.parse("2025-06-24T10:00:00Z");

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

    static ObjectNode call(String id, String stage, String status) {
        ObjectNode n = JSON.createObjectNode().put("id", id).put("status", status).put("time", "2025-06-01T09:00:00Z")
                .put("deal_name", "Acme - Expansion").put("deal_stage_before_call", stage);
        n.putObject("crm_info").put("deal_id", "D1");
        return n;
    }

    void write(Instant at, ObjectNode... calls) {
        wh.inTransaction(tx -> tx.upsert(Flattener.flatten("calls", List.of(calls)), at));
    }

    @Test
    void should_follow_a_deal_to_its_terminal_stage_and_ignore_stale_records_after_it() {
        write(W1, call("c1", "Demo", "PROCESSED"), call("c2", "Demo", "PROCESSED"));
        write(W2, call("c1", "Proposal", "PROCESSED"));
        write(W3, call("c1", "Closed Won", "PROCESSED"));
        write(W4, call("c2", "Demo", "POST_PROCESSING_DONE")); // another change of an older call, its stage stale
        AnalyticsViews.ensure(wh);

        assertThat(wh.query("SELECT call_id, stage, deal_key, valid_from, valid_to FROM " + wh.table("v_deal_stage_history")
                        + " ORDER BY call_id, valid_from").stream()
                .map(r -> r.get("call_id") + " " + r.get("stage") + " " + r.get("deal_key") + " " + r.get("valid_from") + " " + r.get("valid_to"))
                .toList()).containsExactly(
                "c1 Demo D1 " + W1 + " " + W2, "c1 Proposal D1 " + W2 + " " + W3, "c1 Closed Won D1 " + W3 + " null",
                "c2 Demo D1 " + W1 + " " + W4, "c2 Demo D1 " + W4 + " null");
        assertThat(wh.query("SELECT week_start, stage, is_terminal, deals_entered, deals_moved_in FROM "
                        + wh.table("v_deal_stage_movement") + " ORDER BY week_start, stage").stream()
                .map(r -> r.get("week_start") + " " + r.get("stage") + " " + r.get("is_terminal") + " " + r.get("deals_entered")
                        + " " + r.get("deals_moved_in")).toList()).containsExactly(
                "2025-06-02 Demo false 1 0", "2025-06-09 Proposal false 1 1", "2025-06-16 Closed Won true 1 1");
    }

    static class OnDuckDb extends HistoryViewsTest {
        @TempDir
        Path dir;

        @Override
        Warehouse open() {
            return Warehouse.open("jdbc:duckdb:" + dir.resolve("v.duckdb"), "", "", null);
        }
    }

    static class OnPostgres extends HistoryViewsTest {
        PostgresTestServer.Connection pg = PostgresTestServer.get();
        String schema = PostgresTestServer.freshSchema("hviews");

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
