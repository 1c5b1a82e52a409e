package dev.clarisync.schema;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static dev.clarisync.schema.ColumnType.BIGINT;
import static dev.clarisync.schema.ColumnType.DOUBLE;
import static dev.clarisync.schema.ColumnType.JSON;
import static dev.clarisync.schema.ColumnType.VARCHAR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Schema evolution under the bundled contract: declared shapes first, inference only for undeclared fields. */
class DeclaredEvolutionTest {

    /** Shaped like the real captures: ratio 0 or 1, null media URLs, every array empty. */
    static final String CAPTURED = """
        {"id":"%s","title":"Intro","status":"POST_PROCESSING_DONE","time":"2025-06-10T15:00:00.000Z",
         "audio_url":null,"video_url":null,"users":[{"userId":"u1","userEmail":"rep@acme.com","isOrganizer":true,"personId":0}],
         "externalParticipants":[],"joinedParticipants":[],"contact_names":[],
         "metrics":{"talk_listen_ratio":%s,"num_questions_asked":0,"categories":[]}}
        """;

    static SchemaModel model() {
        return new SchemaModel(Set.of("_sync_state"));
    }

    static FlatBatch flatten(SchemaModel model, String stream, String... records) {
        return Flattener.flatten(stream, java.util.Arrays.stream(records).map(FlattenerTest::json).toList(), model::isChildTable);
    }

    static List<SchemaChange> evolve(SchemaModel model, String stream, String... records) {
        return model.evolve(flatten(model, stream, records), SchemaModelTest.NO_DATA);
    }

    @Test
    void should_shape_a_first_page_of_captured_calls_by_the_spec_not_by_its_values() {
        SchemaModel model = model();
        FlatBatch batch = flatten(model, "calls", CAPTURED.formatted("c1", "0"), CAPTURED.formatted("c2", "1"));
        model.evolve(batch, SchemaModelTest.NO_DATA);

        TableSchema calls = model.table("calls");
        assertThat(calls.column("/metrics/talk_listen_ratio").type()).isEqualTo(DOUBLE);
        assertThat(calls.column("/audio_url")).extracting(ColumnSchema::name, ColumnSchema::type).containsExactly("audio_url", VARCHAR);
        assertThat(calls.column("/video_url").name()).isEqualTo("video_url");
        assertThat(calls.column("/externalParticipants")).as("no JSON column beside the child table").isNull();
        assertThat(calls.column("/metrics/categories")).isNull();
        assertThat(calls.column("/contact_names").type()).isEqualTo(JSON);
        assertThat(model.childTables("calls")).extracting(TableSchema::name).containsExactly("calls__users",
                "calls__external_participants", "calls__joined_participants", "calls__metrics__categories",
                "calls__metrics__categories__phrases_matched");
        assertThat(batch.root().rows().get(0).values()).doesNotContainKeys("/externalParticipants", "/joinedParticipants",
                "/metrics/categories");
        assertThat(batch.root().rows().get(1).get("/metrics/talk_listen_ratio").as(DOUBLE)).isEqualTo(1.0);
    }

    @Test
    void should_give_calls_and_call_details_the_same_shapes() {
        SchemaModel model = model();
        evolve(model, "calls", CAPTURED.formatted("c1", "0"));
        evolve(model, "call_details", CAPTURED.formatted("c1", "0"));
        for (TableSchema t : model.tables()) {
            if (!t.stream().equals("calls")) {
                continue;
            }
            TableSchema twin = model.table("call_details" + t.path().substring("calls".length()));
            assertThat(twin).as(t.path()).isNotNull();
            for (ColumnSchema c : t.columns()) {
                assertThat(twin.column(c.sourcePath())).as(twin.name() + " " + c.sourcePath()).isEqualTo(c);
            }
        }
        assertThat(model.isChildTable("call_details/joinedParticipants[]")).isTrue();
        assertThat(model.table("call_details").column("/joinedParticipants")).isNull();
    }

    @Test
    void should_widen_a_column_the_api_contradicts_and_keep_the_value() {
        SchemaModel model = model();
        evolve(model, "calls", CAPTURED.formatted("c1", "0.5"));
        FlatBatch batch = flatten(model, "calls", CAPTURED.formatted("c2", "\"n/a\""));
        List<SchemaChange> changes = model.evolve(batch, SchemaModelTest.NO_DATA);

        assertThat(changes).containsExactly(new SchemaChange(SchemaChange.Kind.WIDEN, "calls", "metrics__talk_listen_ratio",
                VARCHAR, DOUBLE, "/metrics/talk_listen_ratio"));
        assertThat(batch.root().rows().get(0).get("/metrics/talk_listen_ratio").as(VARCHAR)).isEqualTo("n/a");
        assertThat(evolve(model, "calls", CAPTURED.formatted("c3", "\"n/a\""))).as("widened once").isEmpty();
    }

    @Test
    void should_infer_undeclared_fields_as_before() {
        SchemaModel model = model();
        List<SchemaChange> changes = evolve(model, "calls",
                "{\"id\":\"c1\",\"sentiment_score\":3,\"highlights\":[{\"at\":1.5}],\"users\":[{\"userId\":\"u\",\"nickname\":\"Al\"}]}");
        assertThat(changes).extracting(SchemaChange::kind, SchemaChange::table, SchemaChange::column, SchemaChange::type)
                .contains(tuple(SchemaChange.Kind.ADD_COLUMN, "calls", "sentiment_score", BIGINT),
                        tuple(SchemaChange.Kind.CREATE_TABLE, "calls__highlights", null, null),
                        tuple(SchemaChange.Kind.ADD_COLUMN, "calls__highlights", "at", DOUBLE),
                        tuple(SchemaChange.Kind.ADD_COLUMN, "calls__users", "nickname", VARCHAR));
    }

    @Test
    void should_store_a_scalar_where_the_spec_declares_a_child_table_without_loss() {
        SchemaModel model = model();
        FlatBatch batch = flatten(model, "calls", "{\"id\":\"c1\",\"externalParticipants\":[\"Ann\"]}");
        model.evolve(batch, SchemaModelTest.NO_DATA);
        assertThat(model.table("calls").column("/externalParticipants").type()).isEqualTo(JSON);
        assertThat(batch.root().rows().get(0).get("/externalParticipants").text()).isEqualTo("[\"Ann\"]");
    }
}
