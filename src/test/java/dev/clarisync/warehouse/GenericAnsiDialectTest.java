package dev.clarisync.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.schema.Flattener;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fallback dialect uses standard SQL only (delete + insert instead of ON CONFLICT, batched inserts instead of
 * bulk loading); this runs it against a real DuckDB file to keep it honest.
 */
class GenericAnsiDialectTest {

    static final Instant T1 = Instant.parse("2025-06-11T00:00:00Z");

    @TempDir
    Path dir;
    Warehouse wh;

    @BeforeEach
    void open() {
        wh = Warehouse.open(new GenericAnsiDialect(), "jdbc:duckdb:" + dir.resolve("generic.duckdb"), "", "", "main");
    }

    @AfterEach
    void close() {
        wh.close();
    }

    Map<String, Object> row(String table, String id) {
        return wh.query("SELECT * FROM " + wh.table(table) + " WHERE " + wh.dialect().quote("id") + " = ?", id).get(0);
    }

    @Test
    void should_upsert_replace_children_and_widen() {
        wh.inTransaction(tx -> tx.upsert(Flattener.flatten("calls", List.of(WarehouseContractTest.call("c1"), WarehouseContractTest.call("c2"))), T1));
        ObjectNode c1 = WarehouseContractTest.call("c1");
        c1.remove("crm_info");
        c1.remove("users");
        c1.put("title", "it's \"new\"\n🎉");
        c1.put("metrics", 0); // was an object: becomes a column of its own
        wh.inTransaction(tx -> tx.upsert(Flattener.flatten("calls", List.of(c1)), T1));

        assertThat(wh.count("calls")).isEqualTo(2);
        assertThat(row("calls", "c1")).containsEntry("title", "it's \"new\"\n🎉").containsEntry("crm_info__deal_id", null)
                .containsEntry("metrics", 0L).containsEntry("time", Instant.parse("2025-06-10T15:00:00Z"));
        assertThat(wh.query("SELECT * FROM " + wh.table("calls__users") + " WHERE " + wh.dialect().quote("_root_id") + " = 'c1'")).isEmpty();
        assertThat(wh.count("calls__users")).isEqualTo(2);

        wh.inTransaction(tx -> tx.upsert(Flattener.flatten("calls", List.of(WarehouseContractTest.json("{\"id\":\"c3\",\"metrics\":\"n/a\"}"))), T1));
        assertThat(row("calls", "c1").get("metrics")).isEqualTo("0");
    }

    @Test
    void should_roll_back_data_schema_and_bookkeeping() {
        assertThatThrownBy(() -> wh.inTransaction(tx -> {
            tx.upsert(Flattener.flatten("calls", List.of(WarehouseContractTest.call("c1"))), T1);
            tx.putState("calls", "cursor", "x");
            tx.markProcessed("call_details", Map.of("c1", "v1"));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(wh.tableExists("calls")).isFalse();
        assertThat(wh.readState("calls")).isEmpty();
        assertThat(wh.processedVersions("call_details", List.of("c1"))).isEmpty();

        wh.inTransaction(tx -> {
            tx.upsert(Flattener.flatten("calls", List.of(WarehouseContractTest.call("c1"), WarehouseContractTest.call("c2"))), T1);
            tx.markProcessed("call_details", Map.of("c1", "v1"));
            tx.markProcessed("call_details", Map.of("c1", "v2"));
            return null;
        });
        assertThat(wh.processedVersions("call_details", List.of("c1"))).containsExactly(Map.entry("c1", "v2"));
        assertThat(wh.<Integer>inTransaction(tx -> tx.markDeleted("calls", List.of("c2")))).isEqualTo(1);
        assertThat(wh.<Integer>inTransaction(tx -> tx.deleteAllExcept("calls", Set.of("c2")))).isEqualTo(1);
        assertThat(row("calls", "c2").get("_deleted")).isEqualTo(true);
    }

    @Test
    void should_merge_processed_versions_and_queue_stored_calls_without_on_conflict() {
        wh.inTransaction(tx -> {
            tx.markProcessed("calls", Map.of("a", "v1", "b", "v1"));
            return null;
        });
        wh.inTransaction(tx -> {
            tx.markProcessed("calls", Map.of("a", "v2"));
            return null;
        });
        assertThat(wh.processedVersions("calls", List.of("a", "b"))).isEqualTo(Map.of("a", "v2", "b", "v1"));

        ObjectNode done = WarehouseContractTest.call("a");
        done.put("status", "PROCESSED");
        wh.inTransaction(tx -> tx.upsert(Flattener.flatten("calls", List.of(done)), T1));
        DetailsBacklogStore backlog = new DetailsBacklogStore(wh);
        int first = wh.inTransaction(tx -> backlog.enqueueStored(tx, "calls", "status", Set.of("PROCESSED"), null, null, T1));
        int again = wh.inTransaction(tx -> backlog.enqueueStored(tx, "calls", "status", Set.of("PROCESSED"), null, null, T1));
        assertThat(first).isEqualTo(1);
        assertThat(again).as("an owed call is flagged, not queued twice").isEqualTo(1);
        assertThat(backlog.read(null, 10, true)).containsExactly(new DetailsBacklogStore.Row("a", "v2", done.path("title").asText(null), true,
                Instant.parse(done.path("time").asText())));
    }
}
