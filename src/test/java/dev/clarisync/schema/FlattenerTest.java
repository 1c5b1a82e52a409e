package dev.clarisync.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlattenerTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A list item of GET /calls, field names exactly as the API sends them. */
    static final String CALL = """
        {"id":"c1","title":"Demo","status":"POST_PROCESSING_DONE","time":"2025-06-10T15:00:00.000Z",
         "deal_value":"1200","audio_url":null,
         "users":[{"userId":"u1","userEmail":"rep@acme.com","isOrganizer":true,"personId":1}],
         "externalParticipants":[{"name":"Ext One","email":"e1@cust.com","personId":2},{"name":"Ext Two"}],
         "joinedParticipants":[],
         "contact_names":["Ann","Bob"],"bookmark_timestamps":[],
         "crm_info":{"source_crm":"SALESFORCE","deal_id":"d1","account_id":"a1","contact_ids":["k1","k2"]},
         "metrics":{"talk_listen_ratio":0.42,"num_questions_asked":3,"call_duration":1800,
           "categories":[{"name":"Pricing","occurences":2,"ai_detected":false,
             "phrases_matched":[{"text":"price","user_id":"u1","name":"Ann","time":12.5},
                                {"text":"cost","user_id":"u1","name":"Ann","time":40}]},
             {"name":"Next steps","occurences":0,"phrases_matched":[]}]}}
        """;

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static FlatBatch flatten(String stream, String... records) {
        return Flattener.flatten(stream, java.util.Arrays.stream(records).map(FlattenerTest::json).toList(), p -> false);
    }

    @Test
    void a_call_becomes_a_root_row_and_child_tables() {
        FlatBatch batch = flatten("calls", CALL);

        assertThat(batch.tables()).extracting(FlatTable::path).containsExactly(
                "calls", "calls/users[]", "calls/externalParticipants[]", "calls/metrics/categories[]",
                "calls/metrics/categories[]/phrases_matched[]");
        FlatRow call = batch.root().rows().get(0);
        assertThat(call.id()).isEqualTo("c1");
        assertThat(call.values()).containsOnlyKeys("/title", "/status", "/time", "/deal_value", "/contact_names",
                "/bookmark_timestamps", "/crm_info/source_crm", "/crm_info/deal_id", "/crm_info/account_id",
                "/crm_info/contact_ids", "/metrics/talk_listen_ratio", "/metrics/num_questions_asked",
                "/metrics/call_duration", "/joinedParticipants");
        assertThat(call.get("/time")).isEqualTo(Value.ofString("2025-06-10T15:00:00.000Z"));
        assertThat(call.get("/time").as(ColumnType.TIMESTAMP)).isEqualTo(Instant.parse("2025-06-10T15:00:00Z"));
        assertThat(call.get("/deal_value").type()).isEqualTo(ColumnType.VARCHAR);
        assertThat(call.get("/contact_names")).isEqualTo(Value.json("[\"Ann\",\"Bob\"]"));
        assertThat(call.get("/crm_info/contact_ids")).isEqualTo(Value.json("[\"k1\",\"k2\"]"));
        assertThat(call.get("/bookmark_timestamps")).isEqualTo(Value.json("[]"));
        assertThat(call.get("/joinedParticipants")).as("empty array of unknown element type").isEqualTo(Value.json("[]"));
        assertThat(call.get("/metrics/talk_listen_ratio").type()).isEqualTo(ColumnType.DOUBLE);
        assertThat(call.get("/metrics/num_questions_asked")).isEqualTo(Value.ofLong(3));

        FlatTable ext = batch.table("calls/externalParticipants[]");
        assertThat(ext.rows()).extracting(FlatRow::rootId, FlatRow::parentId, FlatRow::idx)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c1", "c1", 0L), org.assertj.core.groups.Tuple.tuple("c1", "c1", 1L));
        assertThat(ext.rows().get(1).values()).containsOnlyKeys("/name");

        FlatTable phrases = batch.table("calls/metrics/categories[]/phrases_matched[]");
        assertThat(phrases.parentPath()).isEqualTo("calls/metrics/categories[]");
        assertThat(phrases.arrayPointer()).isEqualTo("/phrases_matched");
        assertThat(phrases.rows()).extracting(FlatRow::rootId, FlatRow::parentId, FlatRow::idx)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c1", "c1/0", 0L), org.assertj.core.groups.Tuple.tuple("c1", "c1/0", 1L));
        assertThat(phrases.rows().get(1).get("/time")).isEqualTo(Value.ofLong(40));
        // the empty phrases_matched of category 1 is a known child table in this batch: no JSON column
        assertThat(batch.table("calls/metrics/categories[]").rows().get(1).values()).doesNotContainKey("/phrases_matched");
    }

    @Test
    void an_empty_array_is_no_column_when_the_path_is_a_child_table_seen_later_or_known() {
        FlatBatch batch = flatten("calls", "{\"id\":\"a\",\"users\":[]}", "{\"id\":\"b\",\"users\":[{\"userId\":\"u\"}]}");
        assertThat(batch.root().rows().get(0).values()).isEmpty();

        FlatBatch known = Flattener.flatten("calls", List.of(json("{\"id\":\"a\",\"users\":[]}")), "calls/users[]"::equals);
        assertThat(known.root().rows().get(0).values()).isEmpty();
        assertThat(known.tables()).hasSize(1);
    }

    @Test
    void an_empty_array_waits_for_the_schema_of_its_write_to_be_settled() {
        FlatBatch batch = Flattener.flatten("calls", List.of(json("{\"id\":\"a\",\"users\":[],\"tags\":[]}")));
        assertThat(batch.root().rows().get(0).values()).as("flattened without the warehouse: undecided, kept")
                .containsOnlyKeys("/users", "/tags");

        batch.settleEmptyArrays("calls/users[]"::equals);
        assertThat(batch.root().rows().get(0).values()).containsOnlyKeys("/tags");
        batch.settleEmptyArrays(p -> true);
        assertThat(batch.root().rows().get(0).values()).as("settled once").containsOnlyKeys("/tags");
    }

    @Test
    void a_stream_name_is_one_path_segment() {
        assertThatThrownBy(() -> Flattener.flatten("calls/x", List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain '/'");
    }

    @Test
    void mixed_and_nested_arrays_are_json_text() {
        FlatRow row = flatten("t", "{\"id\":\"a\",\"m\":[{\"x\":1},2],\"n\":[[1,2]],\"z\":[null]}").root().rows().get(0);
        assertThat(row.get("/m")).isEqualTo(Value.json("[{\"x\":1},2]"));
        assertThat(row.get("/n")).isEqualTo(Value.json("[[1,2]]"));
        assertThat(row.get("/z")).isEqualTo(Value.json("[null]"));
    }

    @Test
    void scalar_types() {
        FlatRow row = flatten("t", """
            {"id":"a","i":9007199254740993,"big":123456789012345678901234567890,"d":1.5,"e":1e3,"b":true,
             "ts":"2025-06-10T17:00:00+02:00","nanos":"2025-06-10T15:00:00.123456789Z","date":"2025-06-10",
             "local":"2025-06-10T15:00:00","s":"hi","o":{},"n":null}
            """).root().rows().get(0);
        assertThat(row.get("/i")).isEqualTo(Value.ofLong(9007199254740993L));
        assertThat(row.get("/i").exactAsDouble()).isFalse();
        assertThat(row.get("/big").type()).isEqualTo(ColumnType.VARCHAR);
        assertThat(row.get("/big").text()).isEqualTo("123456789012345678901234567890");
        assertThat(row.get("/d").type()).isEqualTo(ColumnType.DOUBLE);
        assertThat(row.get("/e").type()).isEqualTo(ColumnType.DOUBLE);
        assertThat(row.get("/b").as(ColumnType.BOOLEAN)).isEqualTo(true);
        assertThat(row.get("/ts").as(ColumnType.TIMESTAMP)).isEqualTo(Instant.parse("2025-06-10T15:00:00Z"));
        assertThat(row.get("/ts").text()).isEqualTo("2025-06-10T17:00:00+02:00");
        assertThat(row.get("/nanos").type()).as("more precision than the databases keep").isEqualTo(ColumnType.VARCHAR);
        assertThat(row.get("/date").type()).isEqualTo(ColumnType.VARCHAR);
        assertThat(row.get("/local").type()).as("no zone: not an instant").isEqualTo(ColumnType.VARCHAR);
        assertThat(row.values()).doesNotContainKeys("/o", "/n", "/id");
    }

    @Test
    void keys_with_slashes_and_tildes_get_unambiguous_paths() {
        FlatRow row = flatten("t", "{\"id\":\"a\",\"a/b\":1,\"a\":{\"b\":2},\"x~[\":3}").root().rows().get(0);
        assertThat(row.values()).containsOnlyKeys("/a~1b", "/a/b", "/x~0~2");
        assertThat(SourcePath.keys("/x~0~2")).containsExactly("x~[");
        assertThat(SourcePath.keys("/a~1b")).containsExactly("a/b");
    }

    @Test
    void duplicate_ids_last_wins() {
        FlatBatch batch = flatten("t", "{\"id\":\"a\",\"v\":1}", "{\"id\":\"b\",\"v\":2}", "{\"id\":\"a\",\"v\":3}");
        assertThat(batch.ids()).containsExactly("a", "b");
        assertThat(batch.root().rows().get(0).get("/v")).isEqualTo(Value.ofLong(3));
    }

    @Test
    void records_need_a_non_empty_string_id() {
        for (String bad : List.of("{\"v\":1}", "{\"id\":\"\"}", "{\"id\":7}", "{\"id\":null}", "[1]")) {
            assertThatThrownBy(() -> flatten("t", "{\"id\":\"ok\"}", bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("record #1");
        }
    }

    @Test
    void should_keep_a_numbers_text_as_jackson_writes_it() {
        for (String n : new String[] {"0.42", "1.0", "-0.0", "1e10", "1.0E-7", "123456.789", "3.141592653589793", "1e308",
                "4.9e-324", "12.5", "2.5E-3", "100.10", "123456789012345678901234567890.5"}) {
            JsonNode node = json("{\"x\":" + n + "}").get("x");
            assertThat(Value.of(node).text()).as(n).isEqualTo(node.toString());
            assertThat(Value.of(node).type()).isEqualTo(ColumnType.DOUBLE);
        }
    }
}
