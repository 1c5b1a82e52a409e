package dev.clarisync.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clarisync.LogCapture;
import dev.clarisync.schema.DeclaredSchema;
import dev.clarisync.schema.Flattener;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A warehouse written before the schema contract (every shape inferred from the first values seen, as the previous
 * version did) is migrated in place when opened, and a value contradicting its declared type is stored without loss.
 * Runs on DuckDB and PostgreSQL through thin subclasses.
 */
abstract class SchemaMigrationContractTest {

    /** A fresh, empty warehouse (a new file or a new schema). */
    protected abstract WarehouseContractTest.Target newTarget();

    /** The physical type names of DOUBLE and of text on this database. */
    protected abstract String doubleType();

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T1 = Instant.parse("2025-06-11T00:00:00Z");

    /** A first page shaped like the real captures: ratio 0/1, null media URLs, empty arrays. */
    static final String CAPTURED = """
        {"id":"%s","title":"Intro","status":"POST_PROCESSING_DONE","time":"2025-06-10T15:00:00.000Z",
         "audio_url":null,"video_url":null,"users":[{"userId":"u1","userEmail":"rep@acme.com","isOrganizer":true,"personId":0}],
         "externalParticipants":[],"joinedParticipants":%s,"contact_names":[],
         "metrics":{"talk_listen_ratio":%s,"num_questions_asked":0,"categories":[]}}
        """;

    WarehouseContractTest.Target target;
    Warehouse wh;

    @AfterEach
    void close() {
        if (wh != null) {
            wh.close();
        }
    }

    Warehouse open() {
        return Warehouse.open(target.url(), target.user(), target.password(), target.schema());
    }

    static JsonNode call(String id, String joined, String ratio) {
        try {
            return JSON.readTree(CAPTURED.formatted(id, joined, ratio));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    void upsert(Warehouse w, String stream, JsonNode... records) {
        w.inTransaction(tx -> tx.upsert(Flattener.flatten(stream, List.of(records)), T1));
    }

    String type(String table, String column) {
        List<Map<String, Object>> rows = wh.query("SELECT data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
                + " AND column_name = ?", wh.schema(), table, column);
        return rows.isEmpty() ? null : (String) rows.get(0).get("data_type");
    }

    List<Map<String, Object>> changes(String table) {
        return wh.query("SELECT change, column_name, column_type, previous_type FROM " + wh.table("_schema_changes")
                + " WHERE table_name = ? ORDER BY changed_at, change", table);
    }

    /** Builds the warehouse as the version before the contract did: captured first page, then richer calls. */
    void buildWithThePreviousLayout() throws Exception {
        target = newTarget();
        try (AutoCloseable previous = DeclaredSchema.layoutBeforeTheContract(); Warehouse old = open()) {
            upsert(old, "calls", call("c1", "[]", "0"), call("c2", "[]", "1"));
            upsert(old, "calls", call("c3", "[{\"name\":\"Joe\",\"personId\":7}]", "1"));
            upsert(old, "call_details", call("c1", "[]", "0"));
            upsert(old, "call_details", call("c2", "[\"not an object\"]", "1")); // the API contradicting its spec
            assertThat(old.columns("calls")).contains("external_participants", "joined_participants", "metrics__categories")
                    .doesNotContain("audio_url");
        }
    }

    @Test
    void should_migrate_a_warehouse_of_the_previous_layout_in_place() throws Exception {
        buildWithThePreviousLayout();
        try (LogCapture logs = LogCapture.start()) {
            wh = open();
            assertThat(logs.text()).contains("schema migration to the declared schema")
                    .contains("call_details.joined_participants holds 1 non-empty arrays")
                    .contains("Rebuilding a table from the API");
        }
        assertThat(type("calls", "metrics__talk_listen_ratio")).isEqualToIgnoringCase(doubleType());
        assertThat(wh.query("SELECT id, metrics__talk_listen_ratio AS r FROM " + wh.table("calls") + " ORDER BY id"))
                .extracting(r -> r.get("id"), r -> ((Number) r.get("r")).doubleValue())
                .containsExactly(tuple("c1", 0.0), tuple("c2", 1.0), tuple("c3", 1.0));
        assertThat(wh.columns("calls")).contains("audio_url", "video_url", "metrics__engaging_questions")
                .doesNotContain("external_participants", "joined_participants", "metrics__categories");
        assertThat(wh.count("calls__joined_participants")).isEqualTo(1);
        assertThat(wh.tableExists("calls__external_participants")).isTrue();
        assertThat(wh.tableExists("call_details__transcript")).as("declared, missing before").isTrue();
        // not safe to migrate: kept as it is, nothing lost
        assertThat(wh.columns("call_details")).contains("joined_participants");
        assertThat(wh.query("SELECT joined_participants AS j FROM " + wh.table("call_details") + " WHERE id = 'c2'"))
                .extracting(r -> r.get("j")).containsExactly("[\"not an object\"]");
        assertThat(changes("calls")).extracting(r -> r.get("change"), r -> r.get("column_name"), r -> r.get("column_type"), r -> r.get("previous_type"))
                .contains(tuple("widen", "metrics__talk_listen_ratio", "DOUBLE", "BIGINT"),
                        tuple("drop_column", "external_participants", null, "JSON"),
                        tuple("drop_column", "joined_participants", null, "JSON"),
                        tuple("add_column", "audio_url", "VARCHAR", null));

        // the migrated warehouse takes new pages, and a second start has nothing to do
        upsert(wh, "calls", call("c4", "[]", "0.25"));
        assertThat(wh.count("calls")).isEqualTo(4);
        long logged = wh.count("_schema_changes");
        wh.close();
        wh = open();
        assertThat(wh.count("_schema_changes")).isEqualTo(logged);
    }

    @Test
    void should_store_a_value_that_contradicts_its_declared_type_without_loss() {
        target = newTarget();
        wh = open();
        upsert(wh, "calls", call("c1", "[]", "0.5"));
        assertThat(type("calls", "metrics__talk_listen_ratio")).isEqualToIgnoringCase(doubleType());
        try (LogCapture logs = LogCapture.start()) {
            upsert(wh, "calls", call("c2", "[]", "\"n/a\""));
            upsert(wh, "calls", call("c3", "[]", "\"high\""));
            assertThat(logs.text().split("is declared DOUBLE but the API sent", -1)).as("one warning per column").hasSize(2);
        }
        assertThat(wh.query("SELECT id, metrics__talk_listen_ratio AS r FROM " + wh.table("calls") + " ORDER BY id"))
                .extracting(r -> r.get("id"), r -> r.get("r"))
                .containsExactly(tuple("c1", "0.5"), tuple("c2", "n/a"), tuple("c3", "high"));
        assertThat(changes("calls")).extracting(r -> r.get("change"), r -> r.get("column_name"), r -> r.get("column_type"), r -> r.get("previous_type"))
                .contains(tuple("widen", "metrics__talk_listen_ratio", "VARCHAR", "DOUBLE"));
    }
}
