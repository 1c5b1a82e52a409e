package dev.clarisync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.SettingsSource;
import dev.clarisync.sync.StreamSpec.Cursor;
import dev.clarisync.sync.StreamSpec.Enrichment;
import dev.clarisync.sync.StreamSpec.Paging;
import dev.clarisync.sync.StreamSpec.Parent;
import dev.clarisync.sync.StreamSpec.Reconcile;
import dev.clarisync.sync.StreamSpec.Reporting;
import dev.clarisync.sync.StreamSpec.Responses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog declares the streams; a spec that the engine could not run is refused when it is declared. */
class StreamCatalogTest {
    @TempDir
    Path dir;

    ConnectorSettings settings(Map<String, String> overrides) {
        return ConnectorSettings.from(SettingsSource.resolve(overrides, Map.of(), dir), false);
    }

    @Test
    void should_declare_users_calls_details_and_the_coaching_objects_in_run_order() {
        List<StreamSpec> all = StreamCatalog.all(settings(Map.of("clari.sync.lookback", "PT2H")));
        assertThat(all).extracting(StreamSpec::name)
                .containsExactly("users", "calls", "call_details", "scorecards", "scorecard_templates", "topics");
        StreamSpec users = all.get(0);
        assertThat(users.fullRefresh()).isTrue();
        assertThat(users.paging()).isEqualTo(Paging.NONE);
        assertThat(users.route()).isEqualTo("clari-stream");
        StreamSpec calls = all.get(1);
        assertThat(calls.cursor()).isEqualTo(new Cursor("last_modified_time", "filterModifiedGt", "filterModifiedLt", Duration.ofHours(2)));
        assertThat(calls.paging()).isEqualTo(Paging.OFFSET_WINDOWS);
        assertThat(calls.children(all)).extracting(StreamSpec::name).containsExactly("call_details");
        StreamSpec details = all.get(2);
        assertThat(details.perParent()).isTrue();
        assertThat(details.route()).isEqualTo("clari-stream-per-parent");
        assertThat(details.parent().ready()).containsExactlyInAnyOrder("POST_PROCESSING_DONE", "PROCESSED");
        // windows over the scored call's time, which the scorecards do not carry: versioned by content
        StreamSpec scorecards = all.get(3);
        assertThat(scorecards.cursor()).isEqualTo(new Cursor(null, "filterTimeGt", "filterTimeLt", Duration.ofDays(14)));
        assertThat(scorecards.paging()).isEqualTo(Paging.OFFSET_WINDOWS);
        assertThat(scorecards.fullRefresh()).isFalse();
        assertThat(scorecards.versionedByContent()).isTrue();
        assertThat(calls.versionedByContent()).isFalse();
        assertThat(all.get(4).fullRefresh()).isTrue();
        StreamSpec topics = all.get(5);
        assertThat(topics.fullRefresh()).isTrue();
        assertThat(topics.primaryKey()).isEqualTo("topic_id");
    }

    @Test
    void each_stream_declares_what_its_answers_mean_how_it_is_reconciled_and_what_is_reported() {
        List<StreamSpec> all = StreamCatalog.all(settings(Map.of()));
        assertThat(all).extracting(StreamSpec::responses).containsExactly(Responses.EVERY_ACCOUNT, Responses.EVERY_ACCOUNT,
                Responses.PER_PARENT_RECORD, Responses.BY_FEATURE, Responses.BY_FEATURE, Responses.BY_FEATURE);
        // every windowed stream is reconciled over the call time
        assertThat(all).filteredOn(s -> s.paging() == Paging.OFFSET_WINDOWS).extracting(StreamSpec::reconcile)
                .containsOnly(new Reconcile("filterTimeGt", "filterTimeLt")).hasSize(2);
        assertThat(all).filteredOn(s -> s.paging() != Paging.OFFSET_WINDOWS).extracting(StreamSpec::reconcile).containsOnlyNulls();
        assertThat(all).extracting(StreamSpec::reporting).containsExactly(Reporting.PRIMED, Reporting.HEADLINE, Reporting.PRIMED,
                Reporting.ON_USE, Reporting.ON_USE, Reporting.ON_USE);
        assertThat(StreamCatalog.headline(all).name()).isEqualTo("calls");
        StreamSpec details = all.get(2);
        assertThat(details.parent()).isEqualTo(new Parent("calls", "id", "status", StreamCatalog.READY, "title", "time"));
        // a feature's 403/404 skips the stream only once the credentials were accepted
        StreamSpec scorecards = all.get(3);
        assertThat(scorecards.unavailableOn(403, true)).isTrue();
        assertThat(scorecards.unavailableOn(404, true)).isTrue();
        assertThat(scorecards.unavailableOn(403, false)).isFalse();
        assertThat(all.get(1).unavailableOn(404, true)).isFalse();
        assertThat(details.unavailableOn(404, true)).isFalse();
    }

    @Test
    void the_stream_names_setting_knows_exactly_the_catalog() {
        // config/ cannot see the catalog (sync/ reads the settings): this keeps its list of names the catalog's
        assertThat(ConnectorSettings.ALL_STREAMS).containsExactlyElementsOf(
                StreamCatalog.all(settings(Map.of())).stream().map(StreamSpec::name).toList());
    }

    @Test
    void a_record_keyed_on_another_field_is_stored_with_that_key_as_id() throws Exception {
        StreamSpec topics = StreamCatalog.all(settings(Map.of())).get(5);
        var record = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"topic_name\":\"Pricing\",\"topic_id\":\"t1\"}");
        assertThat(ListStream.keyed(topics, record).toString()).isEqualTo("{\"id\":\"t1\",\"topic_name\":\"Pricing\",\"topic_id\":\"t1\"}");
        assertThat(RecordCheck.problem(record, "topic_id")).isNull();
        assertThat(RecordCheck.problem(record, "id")).isEqualTo("no 'id'");
    }

    @Test
    void should_run_only_the_configured_streams_in_catalog_order() {
        List<StreamSpec> run = StreamCatalog.configured(settings(Map.of("clari.sync.streams", "call_details,users")));
        assertThat(run).extracting(StreamSpec::name).containsExactly("users", "call_details");
    }

    @Test
    void a_small_full_refresh_object_is_one_entry() {
        StreamSpec teams = new StreamSpec("teams", "/teams", "", "teams", "id", null, Paging.NONE, null, null);
        assertThat(teams.fullRefresh()).isTrue();
        assertThat(teams.route()).isEqualTo("clari-stream");
        assertThat(teams.enrichment()).isEqualTo(Enrichment.NONE);
    }

    @Test
    void should_refuse_specs_the_engine_cannot_run() {
        assertThatThrownBy(() -> new StreamSpec("x", "/x", "", "x", "id", null, Paging.OFFSET_WINDOWS, null, null))
                .hasMessageContaining("declare a cursor");
        assertThatThrownBy(() -> new StreamSpec("x", "/x", "", "x", "id",
                new Cursor("t", "gt", "lt", Duration.ZERO), Paging.NONE, new Parent("calls", "id", "status", Set.of("DONE")), null))
                .hasMessageContaining("per-parent");
        Parent calls = new Parent("calls", "id", "status", Set.of("DONE"));
        assertThatThrownBy(() -> StreamSpec.perParent("x", "/x", "x", calls).responses(Responses.BY_FEATURE).build())
                .hasMessageContaining("deleted parent");
        assertThatThrownBy(() -> StreamSpec.list("x", "/x", "x").responses(Responses.PER_PARENT_RECORD).build())
                .hasMessageContaining("only a per-parent stream");
        assertThatThrownBy(() -> StreamSpec.list("x", "/x", "x").reconcile(new Reconcile("gt", "lt")).build())
                .hasMessageContaining("OFFSET_WINDOWS");
        assertThatThrownBy(() -> StreamSpec.list("x", "/x", "x").reporting(Reporting.HEADLINE).build())
                .hasMessageContaining("declare a cursor");
    }
}
