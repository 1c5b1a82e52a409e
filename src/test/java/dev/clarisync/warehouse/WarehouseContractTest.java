package dev.clarisync.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.schema.ColumnSchema;
import dev.clarisync.schema.ColumnType;
import dev.clarisync.schema.Flattener;
import dev.clarisync.schema.Naming;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The warehouse contract, run against real databases by thin subclasses (one per dialect). Each test gets a fresh,
 * empty warehouse from {@link #newTarget()}.
 */
abstract class WarehouseContractTest {

    /** Where a test's warehouse lives. */
    record Target(String url, String user, String password, String schema) {
    }

    /** A fresh, empty warehouse (a new file or a new schema). */
    protected abstract Target newTarget();

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T1 = Instant.parse("2025-06-11T00:00:00Z");
    static final Instant T2 = Instant.parse("2025-06-12T08:30:00.123456Z");

    /** A GET /calls list item, field names exactly as the API sends them. */
    static final String CALL = """
        {"id":"ID","title":"Demo call","status":"POST_PROCESSING_DONE","time":"2025-06-10T15:00:00.000Z",
         "last_modified_time":"2025-06-10T16:00:00.000Z","deal_value":"1200",
         "users":[{"userId":"u1","userEmail":"rep@acme.com","isOrganizer":true,"personId":1},
                  {"userId":"u2","userEmail":"mgr@acme.com","isOrganizer":false,"personId":2}],
         "externalParticipants":[{"name":"Ext One","email":"e1@cust.com","personId":3},{"name":"Ext Two","personId":4}],
         "contact_names":["Ann","Bob"],
         "crm_info":{"source_crm":"SALESFORCE","deal_id":"d1","account_id":"a1","contact_ids":["k1","k2"]},
         "metrics":{"talk_listen_ratio":0.42,"num_questions_asked":3,"call_duration":1800,
           "categories":[{"name":"Pricing","occurences":2,"phrases_matched":[
                            {"text":"price","user_id":"u1","name":"Ann","time":12.5},
                            {"text":"cost","user_id":"u1","name":"Ann","time":40.25}]},
                         {"name":"Next steps","occurences":1,"phrases_matched":[
                            {"text":"follow up","user_id":"u2","name":"Bob","time":99.5}]}]}}
        """;

    Target target;
    Warehouse wh;

    @BeforeEach
    void openWarehouse() {
        target = newTarget();
        wh = open();
    }

    @AfterEach
    void closeWarehouse() {
        if (wh != null) {
            wh.close();
        }
    }

    Warehouse open() {
        return Warehouse.open(target.url(), target.user(), target.password(), target.schema());
    }

    static ObjectNode json(String s) {
        try {
            return (ObjectNode) JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ObjectNode call(String id) {
        ObjectNode call = json(CALL);
        call.put("id", id);
        return call;
    }

    WriteCounts upsert(String stream, Instant at, JsonNode... records) {
        return wh.inTransaction(tx -> tx.upsert(Flattener.flatten(stream, List.of(records)), at));
    }

    String t(String table) {
        return wh.table(table);
    }

    String q(String column) {
        return wh.dialect().quote(column);
    }

    List<Map<String, Object>> rows(String table, String where, String orderBy) {
        return wh.query("SELECT * FROM " + t(table) + (where == null ? "" : " WHERE " + where) + " ORDER BY " + orderBy);
    }

    Map<String, Object> row(String table, String id) {
        List<Map<String, Object>> rows = wh.query("SELECT * FROM " + t(table) + " WHERE " + q("id") + " = ?", id);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    List<Map<String, Object>> schemaChanges() {
        return wh.query("SELECT * FROM " + t("_schema_changes") + " ORDER BY " + q("changed_at") + ", " + q("table_name")
                + ", " + q("column_name"));
    }

    @Test
    void should_create_root_and_child_tables_from_a_page_of_calls() {
        WriteCounts counts = upsert("calls", T1, call("c1"), call("c2"));

        assertThat(counts.asMap()).containsExactly(Map.entry("calls", 2L), Map.entry("calls__users", 4L),
                Map.entry("calls__external_participants", 4L), Map.entry("calls__metrics__categories", 4L),
                Map.entry("calls__metrics__categories__phrases_matched", 6L));
        assertThat(wh.columns("calls")).startsWith("id", "_synced_at").contains("time", "deal_value", "contact_names",
                "crm_info__deal_id", "crm_info__contact_ids", "metrics__talk_listen_ratio", "metrics__num_questions_asked");
        assertThat(wh.columns("calls__users")).containsExactly("_root_id", "_parent_id", "_idx", "_synced_at", "user_id",
                "user_email", "is_organizer", "person_id");

        Map<String, Object> c1 = row("calls", "c1");
        assertThat(c1.get("time")).isEqualTo(Instant.parse("2025-06-10T15:00:00Z"));
        assertThat(c1.get("_synced_at")).isEqualTo(T1);
        assertThat(c1.get("deal_value")).isEqualTo("1200");
        assertThat(c1.get("metrics__talk_listen_ratio")).isEqualTo(0.42);
        assertThat(c1.get("metrics__num_questions_asked")).isEqualTo(3L);
        assertThat(c1.get("contact_names")).isEqualTo("[\"Ann\",\"Bob\"]");
        assertThat(c1.get("crm_info__contact_ids")).isEqualTo("[\"k1\",\"k2\"]");

        assertThat(rows("calls__users", q("_root_id") + " = 'c1'", q("_idx")))
                .extracting(r -> r.get("_parent_id"), r -> r.get("_idx"), r -> r.get("user_id"), r -> r.get("is_organizer"), r -> r.get("person_id"))
                .containsExactly(tuple("c1", 0L, "u1", true, 1L), tuple("c1", 1L, "u2", false, 2L));
        // a deeper array links to its direct parent: child._parent_id = parent._parent_id || '/' || parent._idx
        List<Map<String, Object>> joined = wh.query("SELECT p." + q("text") + " AS phrase, c." + q("name") + " AS category FROM "
                + t("calls__metrics__categories__phrases_matched") + " p JOIN " + t("calls__metrics__categories") + " c ON p."
                + q("_parent_id") + " = c." + q("_parent_id") + " || '/' || CAST(c." + q("_idx") + " AS VARCHAR) WHERE p."
                + q("_root_id") + " = 'c1' ORDER BY p." + q("_parent_id") + ", p." + q("_idx"));
        assertThat(joined).extracting(r -> r.get("phrase"), r -> r.get("category"))
                .containsExactly(tuple("price", "Pricing"), tuple("cost", "Pricing"), tuple("follow up", "Next steps"));

        assertThat(schemaChanges()).filteredOn(c -> "create_table".equals(c.get("change"))).extracting(c -> c.get("table_name"))
                // calls__joined_participants: declared by the spec, so created at the first sync though no call has one
                .containsExactlyInAnyOrder("calls", "calls__users", "calls__external_participants", "calls__metrics__categories",
                        "calls__metrics__categories__phrases_matched", "calls__joined_participants");
        assertThat(schemaChanges()).filteredOn(c -> "metrics__talk_listen_ratio".equals(c.get("column_name")))
                .extracting(c -> c.get("change"), c -> c.get("column_type"), c -> c.get("source_path"))
                .containsExactly(tuple("add_column", "DOUBLE", "/metrics/talk_listen_ratio"));
    }

    @Test
    void should_add_a_column_and_a_child_table_when_new_fields_appear() {
        upsert("calls", T1, call("c1"));
        ObjectNode c2 = call("c2");
        c2.put("sentiment", "positive");
        // an undeclared array (joinedParticipants, used here before the contract, is now created up front)
        c2.set("coachingNotes", json("{\"a\":[{\"name\":\"Joe\",\"email\":\"j@x.com\"}]}").get("a"));
        WriteCounts counts = upsert("calls", T1, c2);

        assertThat(counts.rows("calls__coaching_notes")).isEqualTo(1);
        assertThat(wh.columns("calls")).contains("sentiment");
        assertThat(wh.columns("calls__coaching_notes")).endsWith("name", "email");
        assertThat(row("calls", "c1").get("sentiment")).isNull();
        assertThat(row("calls", "c2").get("sentiment")).isEqualTo("positive");
        assertThat(schemaChanges()).extracting(c -> c.get("change"), c -> c.get("table_name"), c -> c.get("column_name"))
                .contains(tuple("add_column", "calls", "sentiment"), tuple("create_table", "calls__coaching_notes", null));
    }

    @Test
    void should_widen_types_without_losing_values() {
        upsert("t", T1, json("{\"id\":\"a\",\"n\":3,\"ts\":\"2025-06-10T15:00:00.000Z\",\"flag\":true,\"big\":1}"));
        upsert("t", T1, json("{\"id\":\"b\",\"n\":2.5,\"ts\":\"2025-06-10T15:00:00.123456Z\",\"big\":9007199254740993}"));
        assertThat(row("t", "a").get("n")).isEqualTo(3.0);
        assertThat(row("t", "b").get("n")).isEqualTo(2.5);

        upsert("t", T1, json("{\"id\":\"c\",\"n\":\"many\",\"ts\":\"tomorrow\",\"flag\":\"yes\"}"));
        upsert("t", T1, json("{\"id\":\"d\",\"big\":0.5}"));

        assertThat(Double.parseDouble((String) row("t", "a").get("n"))).isEqualTo(3.0);
        assertThat(row("t", "b").get("n")).isEqualTo("2.5");
        assertThat(row("t", "c").get("n")).isEqualTo("many");
        assertThat(row("t", "a").get("ts")).as("old timestamps become ISO text").isEqualTo("2025-06-10T15:00:00.000Z");
        assertThat(row("t", "b").get("ts")).isEqualTo("2025-06-10T15:00:00.123456Z");
        assertThat(row("t", "c").get("ts")).isEqualTo("tomorrow");
        assertThat(row("t", "a").get("flag")).isEqualTo("true");
        assertThat(row("t", "c").get("flag")).isEqualTo("yes");
        // 9007199254740993 is not exact as a DOUBLE, so BIGINT + 0.5 widens to text
        assertThat(row("t", "b").get("big")).isEqualTo("9007199254740993");
        assertThat(row("t", "a").get("big")).isEqualTo("1");
        assertThat(row("t", "d").get("big")).isEqualTo("0.5");

        assertThat(schemaChanges()).filteredOn(c -> "widen".equals(c.get("change")))
                .extracting(c -> c.get("column_name"), c -> c.get("previous_type"), c -> c.get("column_type"))
                .containsExactlyInAnyOrder(tuple("n", "BIGINT", "DOUBLE"), tuple("n", "DOUBLE", "VARCHAR"),
                        tuple("ts", "TIMESTAMP", "VARCHAR"), tuple("flag", "BOOLEAN", "VARCHAR"), tuple("big", "BIGINT", "VARCHAR"));

        // within one batch: the column is created wide enough for all its values
        upsert("t", T1, json("{\"id\":\"e\",\"m\":1}"), json("{\"id\":\"f\",\"m\":\"x\"}"));
        assertThat(row("t", "e").get("m")).isEqualTo("1");
    }

    @Test
    void should_replace_values_and_null_dropped_fields_on_rewrite() {
        upsert("calls", T1, call("c1"));
        ObjectNode rewritten = call("c1");
        rewritten.put("title", "Renamed");
        rewritten.remove("crm_info");
        rewritten.remove("contact_names");
        upsert("calls", T2, rewritten);

        Map<String, Object> c1 = row("calls", "c1");
        assertThat(c1.get("title")).isEqualTo("Renamed");
        assertThat(c1.get("crm_info__deal_id")).isNull();
        assertThat(c1.get("contact_names")).isNull();
        assertThat(c1.get("_synced_at")).isEqualTo(T2);
        assertThat(wh.count("calls")).isEqualTo(1);
        assertThat(wh.count("calls__users")).isEqualTo(2);
    }

    @Test
    void should_replace_child_rows_in_every_child_table_of_the_stream() {
        upsert("calls", T1, call("c1"), call("c2"));
        ObjectNode c1 = call("c1");
        c1.set("users", json("{\"a\":[{\"userId\":\"u9\"}]}").get("a"));
        c1.remove("externalParticipants");
        c1.remove("metrics");
        WriteCounts counts = upsert("calls", T2, c1);

        assertThat(counts.asMap()).containsExactly(Map.entry("calls", 1L), Map.entry("calls__users", 1L));
        assertThat(rows("calls__users", q("_root_id") + " = 'c1'", q("_idx")))
                .extracting(r -> r.get("user_id"), r -> r.get("_idx"), r -> r.get("_synced_at")).containsExactly(tuple("u9", 0L, T2));
        for (String child : List.of("calls__external_participants", "calls__metrics__categories",
                "calls__metrics__categories__phrases_matched")) {
            assertThat(rows(child, q("_root_id") + " = 'c1'", q("_idx"))).as(child).isEmpty();
        }
        assertThat(rows("calls__users", q("_root_id") + " = 'c2'", q("_idx"))).hasSize(2);
        assertThat(rows("calls__metrics__categories__phrases_matched", q("_root_id") + " = 'c2'", q("_idx"))).hasSize(3);

        // idempotent: the same batch again leaves the same rows
        upsert("calls", T2, c1);
        assertThat(wh.count("calls__users")).isEqualTo(3);
    }

    @Test
    void should_leave_nothing_behind_when_a_transaction_rolls_back() {
        upsert("calls", T1, call("c1"));
        long changesBefore = schemaChanges().size();
        ObjectNode c2 = call("c2");
        c2.put("brand_new", "x");
        c2.set("newKids", json("{\"a\":[{\"k\":1}]}").get("a"));

        assertThatThrownBy(() -> wh.inTransaction(tx -> {
            tx.upsert(Flattener.flatten("calls", List.of(c2)), T2);
            tx.upsert(Flattener.flatten("users", List.of(json("{\"id\":\"u1\",\"email\":\"rep@acme.com\"}"))), T2);
            tx.putState("calls", "cursor", "2025-06-10T16:00:00.000Z");
            tx.markProcessed("call_details", Map.of("c1", "v1"));
            tx.markDeleted("calls", List.of("c1"));
            assertThat(wh.count("calls")).as("visible inside the transaction").isEqualTo(2);
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");

        assertThat(wh.count("calls")).isEqualTo(1);
        assertThat(wh.count("calls__users")).isEqualTo(2);
        assertThat(wh.columns("calls")).doesNotContain("brand_new", "_deleted");
        assertThat(wh.tableExists("calls__new_kids")).isFalse();
        assertThat(wh.tableExists("users")).isFalse();
        assertThat(wh.readState("calls")).isEmpty();
        assertThat(wh.processedVersions("call_details", List.of("c1"))).isEmpty();
        assertThat(schemaChanges()).hasSize((int) changesBefore);

        // the in-memory schema knowledge was rolled back too: the same batch now creates what it needs
        WriteCounts counts = upsert("calls", T2, c2);
        assertThat(counts.rows("calls__new_kids")).isEqualTo(1);
        assertThat(row("calls", "c2").get("brand_new")).isEqualTo("x");
        wh.inTransaction(tx -> tx.markDeleted("calls", List.of("c1")));
        assertThat(row("calls", "c1").get("_deleted")).isEqualTo(true);
    }

    @Test
    void should_discard_bulk_loaded_rows_on_rollback_even_as_the_first_statement() {
        // a plain temporary table that outlives transactions, filled by the dialect's bulk path (DuckDB's appender)
        wh.inTransaction(tx -> {
            try (var statement = ((WarehouseTransaction) tx).connection().createStatement()) {
                statement.execute("CREATE TEMP TABLE " + q("probe") + " (" + q("id") + " " + wh.dialect().sqlType(ColumnType.VARCHAR)
                        + ", " + q("n") + " " + wh.dialect().sqlType(ColumnType.BIGINT) + ")");
            }
            return null;
        });
        List<ColumnSchema> columns = List.of(new ColumnSchema("id", ColumnType.VARCHAR, null), new ColumnSchema("n", ColumnType.BIGINT, null));
        List<Object[]> rows = new ArrayList<>();
        for (long i = 0; i < 1000; i++) {
            rows.add(new Object[] {"r" + i, i});
        }
        assertThatThrownBy(() -> wh.inTransaction(tx -> {
            wh.dialect().load(((WarehouseTransaction) tx).connection(), "probe", columns, rows); // nothing else ran in this transaction yet
            assertThat(countOf("probe")).isEqualTo(1000);
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(countOf("probe")).isZero();

        wh.inTransaction(tx -> {
            wh.dialect().load(((WarehouseTransaction) tx).connection(), "probe", columns, rows);
            return null;
        });
        assertThat(countOf("probe")).isEqualTo(1000);
    }

    long countOf(String unqualified) {
        return ((Number) wh.query("SELECT count(*) AS n FROM " + q(unqualified)).get(0).get("n")).longValue();
    }

    @Test
    void should_keep_sync_state_per_stream() {
        wh.inTransaction(tx -> {
            tx.putState("calls", "cursor", "2025-06-10T16:00:00.000Z");
            tx.putState("calls", "window_end", "x");
            tx.putState("users", "cursor", "u");
            return null;
        });
        wh.inTransaction(tx -> {
            tx.putState("calls", "cursor", "2025-06-11T00:00:00.000Z");
            tx.putState("calls", "window_end", null);
            return null;
        });
        assertThat(wh.readState("calls")).containsExactly(Map.entry("cursor", "2025-06-11T00:00:00.000Z"));
        assertThat(wh.readState("users")).containsExactly(Map.entry("cursor", "u"));
        assertThat(wh.readState("call_details")).isEmpty();
    }

    @Test
    void should_remember_processed_versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        for (int i = 0; i < 1200; i++) {
            versions.put("call-" + i, "v" + i);
        }
        wh.inTransaction(tx -> {
            tx.markProcessed("call_details", versions);
            tx.markProcessed("other", Map.of("call-1", "other"));
            return null;
        });
        wh.inTransaction(tx -> {
            tx.markProcessed("call_details", Map.of("call-1", "v1b"));
            return null;
        });
        List<String> ask = new ArrayList<>(versions.keySet());
        ask.add("unknown");
        Map<String, String> found = wh.processedVersions("call_details", ask);
        assertThat(found).hasSize(1200).containsEntry("call-0", "v0").containsEntry("call-1", "v1b")
                .containsEntry("call-1199", "v1199").doesNotContainKey("unknown");
        assertThat(wh.processedVersions("other", ask)).containsExactly(Map.entry("call-1", "other"));
        assertThat(wh.processedVersions("call_details", List.of())).isEmpty();
    }

    @Test
    void should_delete_rows_and_their_children_not_kept_on_full_refresh() {
        upsert("calls", T1, call("c1"), call("c2"), call("c3"));
        int deleted = wh.inTransaction(tx -> tx.deleteAllExcept("calls", Set.of("c2", "not-there")));

        assertThat(deleted).isEqualTo(2);
        assertThat(rows("calls", null, q("id"))).extracting(r -> r.get("id")).containsExactly("c2");
        assertThat(rows("calls__users", null, q("_idx"))).extracting(r -> r.get("_root_id")).containsOnly("c2");
        assertThat(wh.count("calls__metrics__categories__phrases_matched")).isEqualTo(3);
        assertThat(wh.<Integer>inTransaction(tx -> tx.deleteAllExcept("never_written", Set.of()))).isZero();
        assertThat(wh.<Integer>inTransaction(tx -> tx.deleteAllExcept("calls", Set.of()))).isEqualTo(1);
        assertThat(wh.count("calls__users")).isZero();
    }

    @Test
    void should_soft_delete_with_a_flag_column_that_a_rewrite_clears() {
        upsert("calls", T1, call("c1"), call("c2"));
        int flagged = wh.inTransaction(tx -> tx.markDeleted("calls", List.of("c1", "unknown")));

        assertThat(flagged).isEqualTo(1);
        assertThat(row("calls", "c1").get("_deleted")).isEqualTo(true);
        assertThat(row("calls", "c2").get("_deleted")).isNull();
        assertThat(wh.count("calls__users")).as("soft delete keeps children").isEqualTo(4);
        assertThat(schemaChanges()).extracting(c -> c.get("change"), c -> c.get("column_name"), c -> c.get("column_type"))
                .contains(tuple("add_column", "_deleted", "BOOLEAN"));

        upsert("calls", T2, call("c1"));
        assertThat(row("calls", "c1").get("_deleted")).isNull();
        assertThat(wh.<Integer>inTransaction(tx -> tx.markDeleted("never_written", List.of("x")))).isZero();
    }

    static final List<String> HOSTILE = List.of(
            "it's \"quoted\" and 'single'", "back\\slash \\n \\t \\\\ \\N", "\\N", "line1\nline2\r\nline3\ttab\rcr",
            "emoji 🎉👩‍👩‍👧 and ✓", "日本語テキスト", "Ελληνικά עברית العربية русский", "'); DROP TABLE calls; --",
            "\"a\",\"b\"\n\"c\"", "", "   ", ",", ";", "\u2028\u2029\u00a0\u200b", "%s %d {} ${x} $1 $$ dollar $$",
            "Robert'); DELETE FROM _sync_state;--", "NULL", "null", "\\.", "\\.\n", "a".repeat(100_000));

    @Test
    void should_round_trip_hostile_strings_exactly() {
        List<JsonNode> records = new ArrayList<>();
        ArrayNode transcript = JSON.createArrayNode();
        for (int i = 0; i < HOSTILE.size(); i++) {
            ObjectNode r = JSON.createObjectNode();
            r.put("id", "h" + i + HOSTILE.get(i).substring(0, Math.min(30, HOSTILE.get(i).length())));
            r.put("text", HOSTILE.get(i));
            r.set("tags", JSON.createArrayNode().add(HOSTILE.get(i)));
            records.add(r);
            transcript.addObject().put("text", HOSTILE.get(i)).put("personId", i);
        }
        ((ObjectNode) records.get(0)).set("transcript", transcript);
        upsert("call_details", T1, records.toArray(JsonNode[]::new));

        for (JsonNode r : records) {
            Map<String, Object> stored = row("call_details", r.get("id").textValue());
            assertThat(stored.get("text")).isEqualTo(r.get("text").textValue());
            assertThat(stored.get("tags")).isEqualTo(r.get("tags").toString());
        }
        assertThat(rows("call_details__transcript", null, q("_idx"))).extracting(r -> r.get("text"))
                .containsExactlyElementsOf(HOSTILE);
        assertThat(rows("call_details__transcript", null, q("_idx"))).extracting(r -> r.get("_root_id"))
                .containsOnly(records.get(0).get("id").textValue());

        Map<String, String> versions = new HashMap<>();
        HOSTILE.forEach(s -> versions.put("id:" + s, s));
        wh.inTransaction(tx -> {
            for (String s : HOSTILE) {
                tx.putState("calls", "key:" + s, s);
            }
            tx.markProcessed("scope'\"", versions);
            return null;
        });
        Map<String, String> state = wh.readState("calls");
        for (String s : HOSTILE) {
            assertThat(state.get("key:" + s)).isEqualTo(s);
        }
        assertThat(wh.processedVersions("scope'\"", versions.keySet())).isEqualTo(versions);
        // and the hostile ids can be deleted by value
        assertThat(wh.<Integer>inTransaction(tx -> tx.deleteAllExcept("call_details",
                Set.of(records.get(1).get("id").textValue())))).isEqualTo(HOSTILE.size() - 1);
        assertThat(wh.count("call_details__transcript")).isZero();
    }

    @Test
    void should_quote_hostile_field_names() {
        String longKey = "thisFieldNameIsFarTooLongForPostgresIdentifiersSoItMustBeCutAndHashed";
        ObjectNode r = json("{\"id\":\"h1\",\"order\":1,\"select\":\"s\",\"group\":true,\"\\\"quoted\\\"\":\"q\","
                + "\"a b\":\"ab\",\"名前\":\"name\",\"fooBar\":\"camel\",\"foo_bar\":\"snake\",\"Id\":\"upper\","
                + "\"x\\\";DROP TABLE y;--\":\"inj\",\"" + longKey + "\":\"long\",\"123start\":\"digits\","
                + "\"from\":{\"where\":[{\"limit\":5}]},\"_idx\":\"sys\"}");
        upsert("weird", T1, r);

        String hashedLong = longKey.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase().substring(0, 54) + "_"
                + Naming.hash8("weird/" + longKey);
        assertThat(wh.columns("weird")).containsExactly("id", "_synced_at", "order", "select", "group", "_quoted_", "a_b", "_",
                "foo_bar", "foo_bar_" + Naming.hash8("weird/foo_bar"), "id_" + Naming.hash8("weird/Id"), "x_drop_table_y_",
                hashedLong, "_123start", "_idx_" + Naming.hash8("weird/_idx"));
        Map<String, Object> stored = row("weird", "h1");
        assertThat(stored).containsEntry("order", 1L).containsEntry("select", "s").containsEntry("group", true)
                .containsEntry("_quoted_", "q").containsEntry("_", "name").containsEntry("foo_bar", "camel")
                .containsEntry("x_drop_table_y_", "inj").containsEntry(hashedLong, "long");
        assertThat(rows("weird__from__where", null, q("_idx"))).extracting(x -> x.get("limit")).containsExactly(5L);
        assertThat(hashedLong).hasSize(63);
    }

    @Test
    void should_keep_schema_knowledge_when_reopened() {
        upsert("t", T1, json("{\"id\":\"a\",\"fooBar\":1,\"foo_bar\":2,\"n\":1,\"kids\":[{\"x\":1}]}"));
        upsert("t", T1, json("{\"id\":\"b\",\"n\":1.5}"));
        List<String> columns = wh.columns("t");
        int changes = schemaChanges().size();
        wh.close();

        wh = open();
        upsert("t", T2, json("{\"id\":\"c\",\"foo_bar\":3,\"fooBar\":4,\"n\":2,\"kids\":[]}"));

        assertThat(wh.columns("t")).isEqualTo(columns);
        assertThat(schemaChanges()).hasSize(changes);
        Map<String, Object> c = row("t", "c");
        assertThat(c.get("foo_bar")).as("fooBar keeps the name it got first").isEqualTo(4L);
        assertThat(c.get("foo_bar_" + Naming.hash8("t/foo_bar"))).isEqualTo(3L);
        assertThat(c.get("n")).isEqualTo(2.0);
        assertThat(rows("t__kids", q("_root_id") + " = 'c'", q("_idx"))).isEmpty();
    }

    @Test
    void should_refuse_a_second_writer_from_another_process_until_closed() throws Exception {
        Probe busy = probe();
        assertThat(busy.exit()).as(busy.output()).isEqualTo(3);
        assertThat(busy.output()).startsWith("warehouse is in use by another run (");

        assertThatThrownBy(this::open).as("a second Warehouse in this JVM")
                .isInstanceOf(WarehouseBusyException.class).hasMessageStartingWith("warehouse is in use by another run (");
        upsert("calls", T1, call("c1")); // the first one is unaffected

        wh.close();
        Probe free = probe();
        assertThat(free.exit()).as(free.output()).isZero();
        wh = open();
        assertThat(wh.count("calls")).isEqualTo(1);
    }

    record Probe(int exit, String output) {
    }

    Probe probe() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                BusyProbe.class.getName(), target.url(), target.user(), target.schema() == null ? "" : target.schema())
                .redirectErrorStream(true);
        pb.environment().put("PROBE_PASSWORD", target.password());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("probe JVM did not finish");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // the JVM may print warnings (native access, logging) before our one line
        String last = out.lines().filter(l -> l.startsWith("warehouse is in use") || l.startsWith("opened"))
                .findFirst().orElse(out);
        return new Probe(p.exitValue(), last);
    }

    @Test
    void should_reject_records_without_an_id_and_write_nothing() {
        assertThatThrownBy(() -> upsert("calls", T1, call("c1"), json("{\"title\":\"no id\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("record #1");
        assertThat(wh.tableExists("calls")).isFalse();
        assertThat(schemaChanges()).isEmpty();
    }

    @Test
    void should_let_the_last_duplicate_id_win_within_a_batch() {
        ObjectNode later = call("c1");
        later.put("title", "later");
        WriteCounts counts = upsert("calls", T1, call("c1"), later);
        assertThat(counts.rows("calls")).isEqualTo(1);
        assertThat(row("calls", "c1").get("title")).isEqualTo("later");
        assertThat(wh.count("calls__users")).isEqualTo(2);
    }

    @Test
    void should_record_runs() {
        wh.runLog().startRun("run-1", "sync", T1);
        wh.runLog().finishRun("run-1", "ok", "done, with 'quotes'", Map.of("calls", 100L, "calls__users", 250L), 12, 1, 2, 3, T2);
        wh.runLog().finishRun("run-2", "failed", null, null, 0, 0, 0, 0, T2);

        Map<String, Object> run = wh.query("SELECT * FROM " + t("_sync_runs") + " WHERE " + q("run_id") + " = ?", "run-1").get(0);
        assertThat(run).containsEntry("command", "sync").containsEntry("started_at", T1).containsEntry("ended_at", T2)
                .containsEntry("outcome", "ok").containsEntry("message", "done, with 'quotes'")
                .containsEntry("rows_written", "{\"calls\":100,\"calls__users\":250}").containsEntry("requests", 12L)
                .containsEntry("retries", 1L).containsEntry("details_not_found", 2L).containsEntry("records_rejected", 3L);
        assertThat(wh.query("SELECT * FROM " + t("_sync_runs") + " WHERE " + q("run_id") + " = ?", "run-2").get(0))
                .containsEntry("outcome", "failed").containsEntry("started_at", null).containsEntry("rows_written", "{}");
        assertThatThrownBy(() -> wh.runLog().startRun("run-1", "sync", T1)).isInstanceOf(WarehouseException.class);
    }

    @Test
    void should_not_allow_nested_transactions_or_a_leaked_tx() {
        WarehouseTx[] leaked = new WarehouseTx[1];
        assertThatThrownBy(() -> wh.inTransaction(tx -> {
            leaked[0] = tx;
            return wh.inTransaction(inner -> null);
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("not reentrant");
        assertThatThrownBy(() -> leaked[0].putState("s", "k", "v")).isInstanceOf(IllegalStateException.class);
        assertThat(wh.readState("s")).isEmpty();
    }

    // ---- the write path: bulk appends for new keys, reusable stages for rewrites ----

    @Test
    void should_reuse_stage_tables_across_pages_and_transactions() {
        upsert("calls", T1, call("c1"), call("c2"));
        upsert("calls", T2, call("c1"), call("c2")); // rewrites go through the root stage
        wh.inTransaction(tx -> {
            tx.markProcessed("calls", Map.of("c1", "v1"));
            tx.markProcessed("calls", Map.of("c1", "v2")); // the same stage twice in one transaction
            return null;
        });
        int stages = wh.writes().stagesCreated();
        for (int page = 0; page < 5; page++) {
            ObjectNode c1 = call("c1");
            c1.put("title", "page " + page);
            upsert("calls", T2, c1, call("c2"));
            int p = page;
            wh.inTransaction(tx -> {
                tx.markProcessed("calls", Map.of("c1", "v" + p, "c2", "w" + p));
                return null;
            });
        }
        assertThat(wh.writes().stagesCreated()).as("no new stage for a column set already staged").isEqualTo(stages);
        assertThat(row("calls", "c1").get("title")).isEqualTo("page 4");
        assertThat(wh.count("calls")).isEqualTo(2);
        assertThat(wh.count("calls__users")).isEqualTo(4);
        assertThat(wh.processedVersions("calls", List.of("c1", "c2"))).containsOnly(Map.entry("c1", "v4"), Map.entry("c2", "w4"));
    }

    @Test
    void should_recreate_a_stage_whose_creating_transaction_rolled_back() {
        upsert("calls", T1, call("c1"));
        // the root stage is first needed (and created) in a transaction that rolls back, which undoes its CREATE
        assertThatThrownBy(() -> wh.inTransaction(tx -> {
            tx.upsert(Flattener.flatten("calls", List.of(call("c1"))), T2);
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        ObjectNode c1 = call("c1");
        c1.put("title", "after rollback");
        upsert("calls", T2, c1);

        assertThat(row("calls", "c1")).containsEntry("title", "after rollback").containsEntry("_synced_at", T2);
        assertThat(wh.count("calls__users")).isEqualTo(2);
    }

    @Test
    void should_not_carry_rows_staged_by_a_rolled_back_transaction_into_the_next_page() {
        upsert("calls", T1, call("c1"), call("c2"));
        upsert("calls", T1, call("c1")); // the root stage now exists, committed and empty
        assertThatThrownBy(() -> wh.inTransaction(tx -> {
            ObjectNode c2 = call("c2");
            c2.put("title", "never committed");
            tx.upsert(Flattener.flatten("calls", List.of(c2)), T2);
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        ObjectNode c1 = call("c1");
        c1.put("title", "again");
        upsert("calls", T2, c1);

        assertThat(row("calls", "c1").get("title")).isEqualTo("again");
        assertThat(row("calls", "c2")).containsEntry("title", "Demo call").containsEntry("_synced_at", T1);
        assertThat(wh.count("calls__users")).isEqualTo(4);
    }

    @Test
    void should_append_and_rewrite_when_columns_and_tables_are_added_between_pages() {
        upsert("calls", T1, call("c1"));
        ObjectNode c2 = call("c2");
        c2.put("sentiment", "positive");
        c2.set("newKids", json("{\"a\":[{\"k\":1},{\"k\":2}]}").get("a"));
        upsert("calls", T1, c2);
        ObjectNode c3 = call("c3");
        c3.put("sentiment", "negative");
        upsert("calls", T1, c3);
        ObjectNode c1b = call("c1");
        c1b.put("sentiment", "neutral");
        c1b.set("newKids", json("{\"a\":[{\"k\":9}]}").get("a"));
        c1b.put("later", 42);
        WriteCounts counts = upsert("calls", T2, c1b, call("c4")); // a rewrite and a new id in one page

        assertThat(counts.rows("calls__new_kids")).isEqualTo(1);
        assertThat(row("calls", "c1")).containsEntry("sentiment", "neutral").containsEntry("later", 42L).containsEntry("_synced_at", T2);
        assertThat(row("calls", "c2")).containsEntry("sentiment", "positive").containsEntry("later", null);
        assertThat(row("calls", "c3")).containsEntry("sentiment", "negative").containsEntry("title", "Demo call");
        assertThat(row("calls", "c4")).containsEntry("sentiment", null).containsEntry("title", "Demo call");
        assertThat(rows("calls__new_kids", null, q("_root_id") + ", " + q("_idx")))
                .extracting(r -> r.get("_root_id"), r -> r.get("k")).containsExactly(tuple("c1", 9L), tuple("c2", 1L), tuple("c2", 2L));
        assertThat(wh.count("calls__users")).isEqualTo(8);
    }

    @Test
    void should_append_new_rows_after_the_deleted_flag_column_was_added() {
        upsert("calls", T1, call("c1"));
        wh.inTransaction(tx -> tx.markDeleted("calls", List.of("c1")));
        ObjectNode c2 = call("c2");
        c2.put("late_field", 7);
        upsert("calls", T1, c2); // _deleted sits before late_field in the table, after the data columns in the model

        assertThat(row("calls", "c2")).containsEntry("_deleted", null).containsEntry("late_field", 7L)
                .containsEntry("title", "Demo call").containsEntry("deal_value", "1200");
        assertThat(row("calls", "c1")).containsEntry("_deleted", true).containsEntry("late_field", null);
    }

    @Test
    void should_rewrite_ids_whose_earlier_rows_were_rolled_back_or_deleted() {
        assertThatThrownBy(() -> wh.inTransaction(tx -> {
            tx.upsert(Flattener.flatten("calls", List.of(call("c1"))), T1);
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        upsert("calls", T1, call("c1"));
        assertThat(wh.count("calls")).isEqualTo(1);
        assertThat(wh.count("calls__users")).isEqualTo(2);

        wh.inTransaction(tx -> tx.deleteAllExcept("calls", Set.of()));
        upsert("calls", T2, call("c1"), call("c2"));
        assertThat(wh.count("calls")).isEqualTo(2);
        assertThat(wh.count("calls__users")).isEqualTo(4);
        assertThat(wh.count("calls__metrics__categories__phrases_matched")).isEqualTo(6);

        assertThatThrownBy(() -> wh.inTransaction(tx -> {
            tx.markProcessed("calls", Map.of("c9", "v9"));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(wh.processedVersions("calls", List.of("c9"))).isEmpty();
        wh.inTransaction(tx -> {
            tx.markProcessed("calls", Map.of("c9", "v10"));
            return null;
        });
        assertThat(wh.processedVersions("calls", List.of("c9"))).containsExactly(Map.entry("c9", "v10"));
    }

    @Test
    void should_rewrite_hostile_strings_exactly() {
        List<JsonNode> first = new ArrayList<>();
        List<JsonNode> second = new ArrayList<>();
        for (int i = 0; i < HOSTILE.size(); i++) {
            first.add(json("{\"id\":\"h" + i + "\",\"text\":\"plain\",\"turns\":[{\"text\":\"plain\"}]}"));
            ObjectNode r = JSON.createObjectNode();
            r.put("id", "h" + i);
            r.put("text", HOSTILE.get(i));
            r.putArray("turns").addObject().put("text", HOSTILE.get(HOSTILE.size() - 1 - i));
            second.add(r);
        }
        upsert("call_details", T1, first.toArray(JsonNode[]::new));
        upsert("call_details", T2, second.toArray(JsonNode[]::new)); // every id exists: the stage path

        for (int i = 0; i < HOSTILE.size(); i++) {
            assertThat(row("call_details", "h" + i).get("text")).isEqualTo(HOSTILE.get(i));
            assertThat(rows("call_details__turns", q("_root_id") + " = 'h" + i + "'", q("_idx")))
                    .extracting(r -> r.get("text")).containsExactly(HOSTILE.get(HOSTILE.size() - 1 - i));
        }
    }

    @Test
    void should_append_upsert_and_cache_statements_for_a_callers_bookkeeping_table() {
        String v = wh.dialect().sqlType(ColumnType.VARCHAR);
        wh.inTransaction(tx -> {
            try (var statement = ((WarehouseTransaction) tx).connection().createStatement()) {
                statement.execute("CREATE TABLE " + t("_queue") + " (" + q("call_id") + " " + v + " PRIMARY KEY, " + q("version")
                        + " " + v + ", " + q("forced") + " " + wh.dialect().sqlType(ColumnType.BOOLEAN) + ", " + q("n") + " "
                        + wh.dialect().sqlType(ColumnType.BIGINT) + ", " + q("at") + " " + wh.dialect().sqlType(ColumnType.TIMESTAMP) + ")");
            }
            return null;
        });
        List<ColumnSchema> columns = List.of(new ColumnSchema("call_id", ColumnType.VARCHAR, null),
                new ColumnSchema("version", ColumnType.VARCHAR, null), new ColumnSchema("forced", ColumnType.BOOLEAN, null),
                new ColumnSchema("at", ColumnType.TIMESTAMP, null));
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < HOSTILE.size(); i++) {
            rows.add(new Object[] {"k" + i, HOSTILE.get(i), i % 2 == 0, T2});
        }
        wh.inTransaction(tx -> {
            tx.appendRows("_queue", columns, rows);
            return null;
        });
        wh.inTransaction(tx -> {
            tx.upsertRows("_queue", List.of("call_id"), List.of(columns.get(0), columns.get(1)),
                    List.of(new Object[] {"k0", "changed"}, new Object[] {"new", "fresh"}));
            return null;
        });
        List<Map<String, Object>> stored = wh.query("SELECT * FROM " + t("_queue") + " ORDER BY " + q("call_id"));
        assertThat(stored).hasSize(HOSTILE.size() + 1);
        assertThat(wh.query("SELECT * FROM " + t("_queue") + " WHERE " + q("call_id") + " = 'k0'").get(0))
                .as("replaced: columns not given are NULL").containsEntry("version", "changed").containsEntry("forced", null)
                .containsEntry("at", null).containsEntry("n", null);
        assertThat(wh.query("SELECT * FROM " + t("_queue") + " WHERE " + q("call_id") + " = 'new'").get(0))
                .containsEntry("version", "fresh").containsEntry("forced", null);
        for (int i = 1; i < HOSTILE.size(); i++) {
            assertThat(wh.query("SELECT " + q("version") + " FROM " + t("_queue") + " WHERE " + q("call_id") + " = ?", "k" + i)
                    .get(0).get("version")).isEqualTo(HOSTILE.get(i));
        }

        // a duplicate key fails the transaction, which leaves nothing
        assertThatThrownBy(() -> wh.inTransaction(tx -> {
            tx.appendRows("_queue", columns, List.<Object[]>of(new Object[] {"other", "x", true, T1}));
            tx.appendRows("_queue", columns, List.<Object[]>of(new Object[] {"k1", "dup", false, T1}));
            return null;
        })).isInstanceOf(WarehouseException.class);
        assertThat(wh.count("_queue")).isEqualTo(HOSTILE.size() + 1);
        assertThat(wh.query("SELECT * FROM " + t("_queue") + " WHERE " + q("call_id") + " = 'other'")).isEmpty();

        // prepared statements are kept across transactions
        String sql = "SELECT count(*) FROM " + t("_queue") + " WHERE " + q("forced") + " = ?";
        java.sql.PreparedStatement[] first = new java.sql.PreparedStatement[1];
        long forced = wh.inTransaction(tx -> {
            first[0] = ((WarehouseTransaction) tx).prepared(sql);
            first[0].setBoolean(1, true);
            try (var rs = first[0].executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(forced).isEqualTo((HOSTILE.size() + 1) / 2 - 1);
        assertThat(wh.<Object>inTransaction(tx -> ((WarehouseTransaction) tx).prepared(sql))).isSameAs(first[0]);
    }

    /** Not a timing assertion: prints rows/s so a change in speed shows up in the build log. */
    @Test
    void should_write_pages_of_calls_and_large_detail_batches_in_bulk() {
        int pages = 10;
        long rows = 0;
        long start = System.nanoTime();
        for (int p = 0; p < pages; p++) {
            List<JsonNode> page = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                page.add(call("call-" + p + "-" + i));
            }
            rows += wh.inTransaction(tx -> tx.upsert(Flattener.flatten("calls", page), T1)).total();
        }
        report("calls, new rows (10 pages x 100 calls)", rows, start);

        start = System.nanoTime();
        rows = 0;
        for (int p = 0; p < pages; p++) {
            List<JsonNode> page = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                page.add(call("call-" + p + "-" + i));
            }
            rows += wh.inTransaction(tx -> tx.upsert(Flattener.flatten("calls", page), T2)).total();
        }
        report("calls, rewritten rows", rows, start);

        start = System.nanoTime();
        rows = 0;
        Set<String> ids = new HashSet<>();
        for (int b = 0; b < 2; b++) {
            List<JsonNode> details = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ObjectNode d = call("detail-" + b + "-" + i);
                ids.add(d.get("id").textValue());
                ArrayNode transcript = d.putArray("transcript");
                for (int turn = 0; turn < 1000; turn++) {
                    transcript.addObject().put("text", "Turn " + turn + " of a long call, with some words in it.")
                            .put("start", turn * 4.5).put("end", turn * 4.5 + 4).put("personId", turn % 3);
                }
                details.add(d);
            }
            rows += wh.inTransaction(tx -> tx.upsert(Flattener.flatten("call_details", details), T1)).total();
        }
        report("call_details, 10 details with 1000 transcript turns each", rows, start);

        assertThat(wh.count("calls")).isEqualTo(1000);
        assertThat(wh.count("calls__metrics__categories__phrases_matched")).isEqualTo(3000);
        assertThat(wh.count("call_details__transcript")).isEqualTo(10_000);
    }

    @Test
    void should_hand_out_backlog_entries_newest_call_first_in_pages_with_untimed_ones_last() {
        DetailsBacklogStore backlog = new DetailsBacklogStore(wh);
        Instant day = Instant.parse("2025-06-01T00:00:00Z");
        List<DetailsBacklogStore.Row> rows = new ArrayList<>();
        // ids in the opposite order of the times, and two calls at one instant: the order is by time, ties by id
        rows.add(new DetailsBacklogStore.Row("a", "v", null, false, day));
        rows.add(new DetailsBacklogStore.Row("b", "v", null, false, day.plusSeconds(86_400)));
        rows.add(new DetailsBacklogStore.Row("c", "v", null, false, day.plusSeconds(2 * 86_400)));
        rows.add(new DetailsBacklogStore.Row("e", "v", null, false, day.plusSeconds(3 * 86_400)));
        rows.add(new DetailsBacklogStore.Row("d", "v", null, false, day.plusSeconds(3 * 86_400)));
        rows.add(new DetailsBacklogStore.Row("f", "v", null, false, null));
        rows.add(new DetailsBacklogStore.Row("0", "v", null, false, null));
        rows.add(new DetailsBacklogStore.Row("z", "v", null, true, day.plusSeconds(9 * 86_400)));
        wh.inTransaction(tx -> {
            backlog.append(tx, rows, T1);
            return null;
        });

        List<String> order = new ArrayList<>();
        DetailsBacklogStore.Key after = null;
        for (List<DetailsBacklogStore.Row> page = backlog.read(null, 2, false); !page.isEmpty(); page = backlog.read(after, 2, false)) {
            page.forEach(r -> order.add(r.callId()));
            DetailsBacklogStore.Row last = page.get(page.size() - 1);
            after = new DetailsBacklogStore.Key(last.callTime(), last.callId());
        }
        assertThat(order).containsExactly("d", "e", "c", "b", "a", "0", "f");
        assertThat(backlog.read(null, 10, true)).extracting(DetailsBacklogStore.Row::callId).containsExactly("z");
        assertThat(backlog.newestOwed()).as("the re-check is not owed work").isEqualTo(day.plusSeconds(3 * 86_400));
    }

    @Test
    void should_add_the_call_time_to_a_backlog_written_before_it_and_fetch_its_old_entries_last() {
        wh.inTransaction(tx -> {
            wh.execute("CREATE TABLE " + t(DetailsBacklogStore.TABLE) + " (" + q("call_id") + " VARCHAR(64) PRIMARY KEY, " + q("version")
                    + " VARCHAR(64), " + q("title") + " VARCHAR(200), " + q("forced") + " BOOLEAN, " + q("enqueued_at") + " "
                    + wh.dialect().sqlType(ColumnType.TIMESTAMP) + ")");
            wh.update("INSERT INTO " + t(DetailsBacklogStore.TABLE) + " VALUES ('old', 'v', 'queued before', FALSE, ?)", T1);
            return null;
        });
        DetailsBacklogStore backlog = new DetailsBacklogStore(wh);
        wh.inTransaction(tx -> {
            backlog.append(tx, List.of(new DetailsBacklogStore.Row("new", "v", null, false, T2)), T2);
            return null;
        });
        assertThat(backlog.read(null, 10, false)).extracting(DetailsBacklogStore.Row::callId, DetailsBacklogStore.Row::callTime)
                .containsExactly(tuple("new", T2), tuple("old", null));
    }

    private void report(String what, long rows, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("BULK %s %s: %d rows in %.2f s = %.0f rows/s%n", wh.dialect().name(), what, rows, seconds, rows / seconds);
    }
}
