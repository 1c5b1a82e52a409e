package dev.clarisync.schema;

import static dev.clarisync.schema.ColumnType.BIGINT;
import static dev.clarisync.schema.ColumnType.BOOLEAN;
import static dev.clarisync.schema.ColumnType.DOUBLE;
import static dev.clarisync.schema.ColumnType.JSON;
import static dev.clarisync.schema.ColumnType.TIMESTAMP;
import static dev.clarisync.schema.ColumnType.VARCHAR;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaModelTest {

    static final SchemaModel.StoredValues NO_DATA = (t, c) -> true;

    /** A model without the contract: these tests pin the inference rule that undeclared fields still follow. */
    static SchemaModel model() {
        return new SchemaModel(Set.of("_sync_state"), DeclaredSchema.none());
    }

    static List<SchemaChange> evolve(SchemaModel model, String stream, String... records) {
        return model.evolve(FlattenerTest.flatten(stream, records), NO_DATA);
    }

    @Test
    void a_call_creates_tables_and_columns_named_by_the_rule() {
        SchemaModel model = model();
        List<SchemaChange> changes = evolve(model, "calls", FlattenerTest.CALL);

        assertThat(changes).filteredOn(c -> c.kind() == SchemaChange.Kind.CREATE_TABLE).extracting(SchemaChange::table)
                .containsExactly("calls", "calls__users", "calls__external_participants", "calls__metrics__categories",
                        "calls__metrics__categories__phrases_matched");
        assertThat(model.table("calls").columns()).extracting(ColumnSchema::name, ColumnSchema::type).containsExactly(
                tuple("title", VARCHAR), tuple("status", VARCHAR), tuple("time", TIMESTAMP), tuple("deal_value", VARCHAR),
                tuple("joined_participants", JSON), tuple("contact_names", JSON), tuple("bookmark_timestamps", JSON),
                tuple("crm_info__source_crm", VARCHAR), tuple("crm_info__deal_id", VARCHAR),
                tuple("crm_info__account_id", VARCHAR), tuple("crm_info__contact_ids", JSON),
                tuple("metrics__talk_listen_ratio", DOUBLE), tuple("metrics__num_questions_asked", BIGINT),
                tuple("metrics__call_duration", BIGINT));
        assertThat(model.table("calls/users[]").columns()).extracting(ColumnSchema::name, ColumnSchema::type)
                .containsExactly(tuple("user_id", VARCHAR), tuple("user_email", VARCHAR), tuple("is_organizer", BOOLEAN),
                        tuple("person_id", BIGINT));
        assertThat(model.table("calls/metrics/categories[]/phrases_matched[]").columns())
                .extracting(ColumnSchema::name, ColumnSchema::type)
                .containsExactly(tuple("text", VARCHAR), tuple("user_id", VARCHAR), tuple("name", VARCHAR), tuple("time", DOUBLE));
        assertThat(model.childTables("calls")).hasSize(4);
        assertThat(evolve(model, "calls", FlattenerTest.CALL)).as("same shape again: nothing to do").isEmpty();
    }

    static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    static Stream<Arguments> widening() {
        return Stream.of(
                Arguments.of("1", "2", BIGINT),
                Arguments.of("1", "2.5", DOUBLE),
                Arguments.of("2.5", "1", DOUBLE),
                Arguments.of("1", "9007199254740993", BIGINT),
                Arguments.of("0.5", "9007199254740993", VARCHAR),
                Arguments.of("1", "true", VARCHAR),
                Arguments.of("true", "\"x\"", VARCHAR),
                Arguments.of("\"2025-06-10T15:00:00.000Z\"", "\"soon\"", VARCHAR),
                Arguments.of("\"2025-06-10T15:00:00.000Z\"", "\"2025-06-11T15:00:00+01:00\"", TIMESTAMP),
                Arguments.of("[1]", "[\"a\"]", JSON),
                Arguments.of("[1]", "\"a\"", VARCHAR),
                Arguments.of("\"a\"", "[1]", VARCHAR),
                Arguments.of("1", "123456789012345678901234567890", VARCHAR));
    }

    @ParameterizedTest(name = "{0} then {1} -> {2}")
    @MethodSource("widening")
    void widening_never_loses_a_value(String first, String second, ColumnType expected) {
        SchemaModel model = model();
        evolve(model, "t", "{\"id\":\"a\",\"v\":" + first + "}");
        evolve(model, "t", "{\"id\":\"b\",\"v\":" + second + "}");
        assertThat(model.table("t").column("/v").type()).isEqualTo(expected);

        SchemaModel oneBatch = model();
        evolve(oneBatch, "t", "{\"id\":\"a\",\"v\":" + first + "}", "{\"id\":\"b\",\"v\":" + second + "}");
        assertThat(oneBatch.table("t").column("/v").type()).as("same answer within one batch").isEqualTo(expected);
    }

    @Test
    void widening_is_reported_with_the_previous_type() {
        SchemaModel model = model();
        evolve(model, "t", "{\"id\":\"a\",\"v\":1}");
        assertThat(evolve(model, "t", "{\"id\":\"b\",\"v\":1.5}")).containsExactly(
                new SchemaChange(SchemaChange.Kind.WIDEN, "t", "v", DOUBLE, BIGINT, "/v"));
    }

    @Test
    void bigint_to_double_becomes_varchar_when_stored_values_are_too_big() {
        SchemaModel model = model();
        evolve(model, "t", "{\"id\":\"a\",\"v\":1}");
        model.evolve(FlattenerTest.flatten("t", "{\"id\":\"b\",\"v\":1.5}"), (t, c) -> false);
        assertThat(model.table("t").column("/v").type()).isEqualTo(VARCHAR);
    }

    @Test
    void colliding_names_first_seen_keeps_the_name() {
        SchemaModel model = model();
        evolve(model, "calls", "{\"id\":\"a\",\"fooBar\":1,\"foo_bar\":2,\"Id\":\"x\",\"_idx\":1,\"_synced_at\":2}");
        assertThat(model.table("calls").columns()).extracting(ColumnSchema::name, ColumnSchema::sourcePath).containsExactly(
                tuple("foo_bar", "/fooBar"),
                tuple("foo_bar_" + Naming.hash8("calls/foo_bar"), "/foo_bar"),
                tuple("id_" + Naming.hash8("calls/Id"), "/Id"),
                tuple("_idx_" + Naming.hash8("calls/_idx"), "/_idx"),
                tuple("_synced_at_" + Naming.hash8("calls/_synced_at"), "/_synced_at"));
    }

    @Test
    void restored_names_stay_stable_whatever_order_fields_arrive_in() {
        SchemaModel model = model();
        model.restoreTable("calls", "calls", "calls", null);
        model.restoreColumn("calls", "foo_bar_" + Naming.hash8("calls/foo_bar"), "/foo_bar", BIGINT);
        evolve(model, "calls", "{\"id\":\"a\",\"foo_bar\":1,\"fooBar\":2}");
        assertThat(model.table("calls").column("/foo_bar").name()).isEqualTo("foo_bar_" + Naming.hash8("calls/foo_bar"));
        assertThat(model.table("calls").column("/fooBar").name()).isEqualTo("foo_bar");
    }

    @Test
    void long_and_colliding_table_names() {
        SchemaModel model = model();
        String longKey = "aVeryLongFieldNameThatKeepsGoingAndGoing".repeat(2);
        evolve(model, "calls", "{\"id\":\"a\",\"" + longKey + "\":[{\"x\":1}],\"a_b\":[{\"x\":1}],\"aB\":[{\"x\":1}],"
                + "\"sync\":{\"state\":[{\"x\":1}]}}");
        TableSchema longTable = model.table("calls/" + longKey + "[]");
        assertThat(longTable.name()).hasSize(63).startsWith("calls__a_very_long_field_name");
        assertThat(model.table("calls/a_b[]").name()).isEqualTo("calls__a_b");
        assertThat(model.table("calls/aB[]").name()).isEqualTo("calls__a_b_" + Naming.hash8("calls/aB[]"));
        assertThat(model.table("calls/sync/state[]").name()).isEqualTo("calls__sync__state");

        SchemaModel reserved = model();
        evolve(reserved, "_sync_state", "{\"id\":\"a\"}");
        assertThat(reserved.table("_sync_state").name()).isEqualTo("_sync_state_" + Naming.hash8("_sync_state"));
    }

    @Test
    void long_column_names_are_cut_and_hashed() {
        SchemaModel model = model();
        String key = "k".repeat(80);
        evolve(model, "t", "{\"id\":\"a\",\"" + key + "\":1}");
        assertThat(model.table("t").column("/" + key).name()).isEqualTo("k".repeat(54) + "_" + Naming.hash8("t/" + key));
    }
}
