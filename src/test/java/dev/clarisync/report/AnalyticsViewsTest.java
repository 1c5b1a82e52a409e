package dev.clarisync.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.SyncHarness;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The views on a DuckDB warehouse filled by the real pipeline, checked against figures computed independently in
 * Java from the simulator's data ({@link Expected}).
 */
class AnalyticsViewsTest {
    static SyncHarness h;
    static Warehouse w;
    static Expected expected;

    @TempDir
    Path dir;

    @BeforeAll
    static void sync() {
        h = SyncedWarehouse.get();
        expected = new Expected(h.sim.data(), h.sim.coaching());
        w = SyncedWarehouse.open();
        assertThat(AnalyticsViews.ensure(w)).containsExactlyElementsOf(AnalyticsViews.NAMES);
    }

    @AfterAll
    static void close() {
        if (w != null) {
            w.close();
        }
    }

    static List<Map<String, Object>> rows(String sql, Object... binds) {
        return w.query(sql.replace("{schema}", AnalyticsViews.quote(w.schema())), binds);
    }

    static double d(Object o) {
        return ((Number) o).doubleValue();
    }

    static long l(Object o) {
        return ((Number) o).longValue();
    }

    static LocalDate date(Object o) {
        return LocalDate.parse(o.toString());
    }

    @Test
    void should_hold_every_call_once_with_its_utc_week() {
        assertThat(expected.calls).hasSize(SyncedWarehouse.CALLS);
        List<Map<String, Object>> calls = rows("SELECT call_id, title, week_start, iso_week, call_date FROM {schema}.v_calls");
        assertThat(calls).hasSize(SyncedWarehouse.CALLS);
        for (Map<String, Object> row : calls) {
            ObjectNode call = expected.calls.get((String) row.get("call_id"));
            assertThat(row.get("title")).isEqualTo(call.path("title").isMissingNode() || call.path("title").isNull() ? null : call.path("title").asText());
            assertThat(date(row.get("week_start"))).as("week of %s", call.path("time")).isEqualTo(Expected.weekStart(call));
            assertThat(date(row.get("week_start")).getDayOfWeek()).isEqualTo(java.time.DayOfWeek.MONDAY);
            assertThat(((Number) row.get("iso_week")).intValue())
                    .isEqualTo(Expected.weekStart(call).get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        }
    }

    @Test
    void rep_engagement_should_match_the_simulator_per_rep_and_week() {
        Map<String, Map<LocalDate, Expected.Agg>> want = expected.perRepWeek();
        List<Map<String, Object>> got = rows("SELECT * FROM {schema}.v_rep_engagement");
        assertThat(got).hasSize(want.values().stream().mapToInt(Map::size).sum());
        Map<String, String> names = new HashMap<>();
        expected.users.forEach(u -> names.put(u.id(), u.name()));
        for (Map<String, Object> row : got) {
            Expected.Agg a = want.get((String) row.get("user_id")).get(date(row.get("week_start")));
            String what = row.get("rep_name") + " " + row.get("week_start");
            assertThat(a).as(what).isNotNull();
            assertThat(row.get("rep_name")).isEqualTo(names.get((String) row.get("user_id")));
            assertThat(l(row.get("calls"))).as(what).isEqualTo(a.calls);
            assertThat(l(row.get("calls_with_metrics"))).as(what).isEqualTo(a.withMetrics);
            if (a.avgRatio() == null) {
                assertThat(row.get("avg_talk_listen_ratio")).isNull();
            } else {
                assertThat(d(row.get("avg_talk_listen_ratio"))).as(what).isCloseTo(a.avgRatio(), within(1e-9));
                assertThat(d(row.get("longest_monologue_s"))).as(what).isCloseTo(a.longestMonologue, within(1e-9));
                assertThat(d(row.get("speaking_time_s"))).as(what).isCloseTo(a.speaking, within(1e-6));
                assertThat(l(row.get("questions_asked_by_reps"))).as(what).isEqualTo(a.questionsByReps);
                assertThat(l(row.get("engaging_questions"))).as(what).isEqualTo(a.engaging);
            }
        }
        // and over all weeks: what the dashboard's "talk/listen by rep" shows
        Map<String, long[]> perRep = new TreeMap<>();
        expected.calls.values().forEach(c -> Expected.userIds(c).forEach(u -> perRep.computeIfAbsent(u, x -> new long[1])[0]++));
        List<Map<String, Object>> totals = rows("SELECT user_id, SUM(calls) AS calls FROM {schema}.v_rep_engagement GROUP BY user_id");
        assertThat(totals).hasSize(perRep.size());
        totals.forEach(r -> assertThat(l(r.get("calls"))).isEqualTo(perRep.get((String) r.get("user_id"))[0]));
    }

    @Test
    void team_engagement_should_roll_up_the_whole_manager_tree() {
        Map<String, Set<String>> teams = expected.teams();
        assertThat(teams).isNotEmpty();
        // the simulator has a top manager whose team includes managers with teams of their own
        assertThat(teams.values().stream().mapToInt(Set::size).max().orElse(0)).isEqualTo(expected.users.size() - 1);
        Map<String, Map<LocalDate, Expected.Agg>> want = expected.perTeamWeek();
        List<Map<String, Object>> got = rows("SELECT * FROM {schema}.v_team_engagement");
        assertThat(got).hasSize(want.values().stream().mapToInt(Map::size).sum());
        for (Map<String, Object> row : got) {
            String manager = (String) row.get("manager_id");
            Expected.Agg a = want.get(manager).get(date(row.get("week_start")));
            assertThat(l(row.get("team_size"))).isEqualTo(teams.get(manager).size());
            assertThat(l(row.get("calls"))).isEqualTo(a.calls);
            assertThat(l(row.get("calls_with_metrics"))).isEqualTo(a.withMetrics);
            if (a.avgRatio() != null) {
                assertThat(d(row.get("avg_talk_listen_ratio"))).isCloseTo(a.avgRatio(), within(1e-9));
            }
            assertThat(l(row.get("active_members"))).isPositive().isLessThanOrEqualTo(teams.get(manager).size());
        }
    }

    @Test
    void deal_progression_should_list_a_deals_calls_in_time_order() {
        List<String> order = expected.dealCalls(SyncedWarehouse.MULTI_CALL_DEAL);
        assertThat(order).hasSize(SyncedWarehouse.MULTI_CALL_DEAL_CALLS);
        List<Map<String, Object>> got = rows("SELECT * FROM {schema}.v_deal_progression WHERE deal_key = ? ORDER BY call_seq",
                SyncedWarehouse.MULTI_CALL_DEAL);
        assertThat(got).extracting(r -> r.get("call_id")).containsExactlyElementsOf(order);
        assertThat(got).extracting(r -> l(r.get("call_seq"))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        String previous = null;
        for (Map<String, Object> row : got) {
            ObjectNode call = expected.calls.get((String) row.get("call_id"));
            assertThat(row.get("deal_name")).isEqualTo(SyncedWarehouse.MULTI_CALL_DEAL);
            assertThat(row.get("stage_before_call")).isEqualTo(call.path("deal_stage_before_call").asText());
            assertThat(row.get("previous_call_stage")).isEqualTo(previous);
            assertThat(row.get("call_time")).isEqualTo(Instant.parse(call.path("time").asText()));
            assertThat(l(row.get("deal_calls"))).isEqualTo(6);
            JsonNode details = expected.details.get((String) row.get("call_id"));
            assertThat(row.get("stage_live")).isEqualTo(details == null ? null : details.path("deal_stage_live").asText(null));
            assertThat(row.get("summary")).isEqualTo(details == null ? null : details.path("summary").path("full_summary").asText(null));
            previous = call.path("deal_stage_before_call").asText();
        }
        // current stage: the live stage (else the stage before) of the latest call that has one
        String current = null;
        for (String id : order) {
            JsonNode details = expected.details.get(id);
            String live = details == null ? null : details.path("deal_stage_live").asText(null);
            current = live != null ? live : expected.calls.get(id).path("deal_stage_before_call").asText();
        }
        assertThat(got).extracting(r -> r.get("current_stage")).containsOnly(current);
        assertThat(got).extracting(r -> r.get("first_stage")).containsOnly(expected.calls.get(order.get(0)).path("deal_stage_before_call").asText());
        assertThat(got).extracting(r -> r.get("is_open")).containsOnly(!current.startsWith("Closed"));
        // every call with a deal is there once
        long withDeal = expected.calls.values().stream().filter(c -> Expected.dealKey(c) != null).count();
        assertThat(l(rows("SELECT COUNT(*) AS n FROM {schema}.v_deal_progression").get(0).get("n"))).isEqualTo(withDeal);
    }

    @Test
    void action_items_and_transcript_turns_should_be_complete() {
        assertThat(expected.actionItems()).isPositive();
        assertThat(l(rows("SELECT COUNT(*) AS n FROM {schema}.v_action_items").get(0).get("n"))).isEqualTo(expected.actionItems());
        assertThat(l(rows("SELECT COUNT(*) AS n FROM {schema}.v_transcript_turns").get(0).get("n"))).isEqualTo(expected.transcriptTurns());
        // one call in detail: its items in order with owner, speaker and the call's deal and account
        String id = expected.details.entrySet().stream()
                .filter(e -> e.getValue().path("summary").path("key_action_items").size() >= 2).findFirst().orElseThrow().getKey();
        JsonNode items = expected.details.get(id).path("summary").path("key_action_items");
        List<Map<String, Object>> got = rows("SELECT * FROM {schema}.v_action_items WHERE call_id = ? ORDER BY item_idx", id);
        assertThat(got).hasSize(items.size());
        for (int i = 0; i < items.size(); i++) {
            assertThat(got.get(i).get("action_item")).isEqualTo(items.get(i).path("action_item").asText(null));
            assertThat(got.get(i).get("owner_name")).isEqualTo(items.get(i).path("owner_name").asText(null));
            assertThat(got.get(i).get("speaker_name")).isEqualTo(items.get(i).path("speaker_name").asText(null));
            assertThat(got.get(i).get("account_name")).isEqualTo(expected.calls.get(id).path("account_name").asText(null));
            assertThat(got.get(i).get("call_time")).isEqualTo(Instant.parse(expected.calls.get(id).path("time").asText()));
        }
        JsonNode transcript = expected.details.get(id).path("transcript");
        List<Map<String, Object>> turns = rows("SELECT * FROM {schema}.v_transcript_turns WHERE call_id = ? ORDER BY turn_idx", id);
        assertThat(turns).hasSize(transcript.size());
        for (int i = 0; i < transcript.size(); i++) {
            assertThat(turns.get(i).get("text")).isEqualTo(transcript.get(i).path("text").asText());
            assertThat(d(turns.get(i).get("start_s"))).isEqualTo(transcript.get(i).path("start").asDouble());
            assertThat(d(turns.get(i).get("duration_s"))).isCloseTo(transcript.get(i).path("end").asDouble()
                    - transcript.get(i).path("start").asDouble(), within(1e-9));
        }
        assertThat(turns).anyMatch(t -> Boolean.TRUE.equals(t.get("speaker_internal")) && t.get("speaker_name") != null);
    }

    @Test
    void account_performance_should_match_the_simulator() {
        Map<String, List<ObjectNode>> byAccount = new TreeMap<>();
        expected.calls.values().forEach(c -> {
            if (c.hasNonNull("account_name")) {
                byAccount.computeIfAbsent(c.path("account_name").asText(), a -> new ArrayList<>()).add(c);
            }
        });
        List<Map<String, Object>> got = rows("SELECT * FROM {schema}.v_account_performance");
        assertThat(got).hasSize(byAccount.size());
        for (Map<String, Object> row : got) {
            List<ObjectNode> calls = byAccount.get((String) row.get("account_name"));
            assertThat(l(row.get("calls"))).isEqualTo(calls.size());
            Set<String> reps = new HashSet<>();
            Set<String> deals = new HashSet<>();
            Instant last = Instant.EPOCH;
            Expected.Agg agg = new Expected.Agg();
            for (ObjectNode c : calls) {
                reps.addAll(Expected.userIds(c));
                if (Expected.dealKey(c) != null) {
                    deals.add(Expected.dealKey(c));
                }
                Instant t = Instant.parse(c.path("time").asText());
                last = t.isAfter(last) ? t : last;
                agg.add(c);
            }
            assertThat(l(row.get("reps_involved") == null ? 0 : row.get("reps_involved"))).isEqualTo(reps.size());
            assertThat(l(row.get("deals"))).isEqualTo(deals.size());
            assertThat(l(row.get("open_deals"))).isBetween(0L, (long) deals.size());
            assertThat(row.get("last_call")).isEqualTo(last);
            if (agg.avgRatio() != null) {
                assertThat(d(row.get("avg_talk_listen_ratio"))).isCloseTo(agg.avgRatio(), within(1e-9));
            }
        }
    }

    static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.path(field).asText() : null;
    }

    @Test
    void scorecards_should_carry_rep_scorer_template_and_the_scored_call() {
        assertThat(expected.scorecards).hasSizeGreaterThan(50);
        Map<String, String> names = new HashMap<>();
        Map<String, String> emails = new HashMap<>();
        expected.users.forEach(u -> {
            names.put(u.id(), u.name());
            emails.put(u.id(), u.email());
        });
        List<Map<String, Object>> got = rows("SELECT * FROM {schema}.v_scorecards");
        assertThat(got).hasSize(expected.scorecards.size());
        Map<String, Map<String, Object>> byId = new HashMap<>();
        got.forEach(r -> byId.put((String) r.get("scorecard_id"), r));
        for (ObjectNode s : expected.scorecards) {
            Map<String, Object> row = byId.get(s.path("id").asText());
            ObjectNode call = expected.calls.get(s.path("call_id").asText());
            String what = s.path("id").asText();
            assertThat(row).as(what).isNotNull();
            assertThat(row.get("rep_name")).as(what).isEqualTo(names.get(s.path("rep").asText()));
            assertThat(row.get("rep_email")).as(what).isEqualTo(emails.get(s.path("rep").asText()));
            assertThat(row.get("scorer_name")).as(what).isEqualTo(names.get(s.path("scorer").asText()));
            assertThat(row.get("template_name")).as(what).isEqualTo(expected.templates.get(s.path("template_id").asText()).path("name").asText());
            assertThat(row.get("scorecard_type")).as(what).isEqualTo(text(s, "type"));
            assertThat(row.get("remark")).as(what).isEqualTo(text(s, "remark"));
            assertThat(d(row.get("total_score"))).as(what).isEqualTo(s.path("total_score").asDouble());
            assertThat(row.get("call_time")).as(what).isEqualTo(Instant.parse(call.path("time").asText()));
            assertThat(date(row.get("week_start"))).as(what).isEqualTo(Expected.weekStart(call));
            assertThat(row.get("title")).as(what).isEqualTo(text(call, "title"));
            assertThat(row.get("deal_key")).as(what).isEqualTo(Expected.dealKey(call));
            assertThat(row.get("account_name")).as(what).isEqualTo(text(call, "account_name"));
            long answered = 0;
            for (JsonNode q : s.path("questions_score")) {
                answered += q.hasNonNull("score") ? 1 : 0;
            }
            assertThat(l(row.get("questions"))).as(what).isEqualTo(s.path("questions_score").size());
            assertThat(l(row.get("questions_answered"))).as(what).isEqualTo(answered);
        }
        // hard remarks arrive intact
        assertThat(got).extracting(r -> (String) r.get("remark")).contains("Robert'); DROP TABLE scorecards; --",
                "Next step was vague:\nagree a date next time.");
    }

    @Test
    void rep_coaching_should_match_the_simulator_per_rep_week_and_skill() {
        Map<String, Map<LocalDate, Expected.Coaching>> want = expected.perRepWeekCoaching();
        int rows = 0;
        for (Map<LocalDate, Expected.Coaching> weeks : want.values()) {
            for (Expected.Coaching c : weeks.values()) {
                rows += 1 + c.skillScorecards.size();
            }
        }
        List<Map<String, Object>> got = rows("SELECT * FROM {schema}.v_rep_coaching");
        assertThat(got).hasSize(rows);
        for (Map<String, Object> row : got) {
            Expected.Coaching c = want.get((String) row.get("user_id")).get(date(row.get("week_start")));
            String skill = (String) row.get("skill");
            String what = row.get("rep_name") + " " + row.get("week_start") + " " + skill;
            assertThat(c).as(what).isNotNull();
            if (skill == null) {
                assertThat(l(row.get("scorecards"))).as(what).isEqualTo(c.scorecards);
                assertThat(l(row.get("scored_scorecards"))).as(what).isEqualTo(c.scored);
                assertThat(d(row.get("avg_total_score"))).as(what).isCloseTo(c.avgTotal(), within(1e-9));
                assertThat(l(row.get("answers"))).as(what).isEqualTo(c.answers("*"));
                assertThat(d(row.get("avg_score"))).as(what).isCloseTo(c.avgScore("*"), within(1e-9));
            } else {
                assertThat(l(row.get("scorecards"))).as(what).isEqualTo(c.skillScorecards.get(skill)[0]);
                assertThat(row.get("avg_total_score")).as(what).isNull();
                assertThat(l(row.get("answers"))).as(what).isEqualTo(c.answers(skill));
                if (c.avgScore(skill) == null) {
                    assertThat(row.get("avg_score")).as(what).isNull();
                } else {
                    assertThat(d(row.get("avg_score"))).as(what).isCloseTo(c.avgScore(skill), within(1e-9));
                }
            }
        }
        // over all weeks, per rep: what the dashboard's coaching panel shows
        Map<String, double[]> perRep = new TreeMap<>();
        expected.scorecards.forEach(s -> {
            double[] a = perRep.computeIfAbsent(s.path("rep").asText(), r -> new double[2]);
            a[0]++;
            a[1] += s.path("total_score").asDouble();
        });
        for (Map<String, Object> r : rows("SELECT user_id, SUM(scorecards) AS n, SUM(avg_total_score * scored_scorecards) AS total "
                + "FROM {schema}.v_rep_coaching WHERE skill IS NULL GROUP BY user_id")) {
            double[] a = perRep.get((String) r.get("user_id"));
            assertThat(l(r.get("n"))).isEqualTo((long) a[0]);
            assertThat(d(r.get("total"))).isCloseTo(a[1], within(1e-6));
        }
    }

    @Test
    void ensure_should_be_repeatable_and_keep_the_same_columns() {
        Map<String, List<String>> before = viewColumns(w);
        assertThat(AnalyticsViews.ensure(w)).containsExactlyElementsOf(AnalyticsViews.NAMES);
        assertThat(viewColumns(w)).isEqualTo(before);
    }

    @Test
    void every_view_should_exist_empty_on_a_warehouse_without_data_with_the_same_columns() {
        try (Warehouse empty = Warehouse.open("jdbc:duckdb:" + dir.resolve("empty.duckdb"), "", "", "")) {
            assertThat(AnalyticsViews.ensure(empty)).containsExactlyElementsOf(AnalyticsViews.NAMES);
            for (String view : AnalyticsViews.NAMES) {
                assertThat(empty.count(view)).as(view).isZero();
            }
            assertThat(viewColumns(empty)).isEqualTo(viewColumns(w));
        }
    }

    @Test
    void views_should_work_before_the_first_details_sync() {
        try (SyncHarness calls = new SyncHarness(SimulatorConfig.builder().callCount(60).build(), dir)
                .option("clari.sync.streams", "users,calls")) {
            assertThat(calls.run("sync").exitCode()).isZero();
            try (Warehouse wh = Warehouse.open("jdbc:duckdb:" + calls.db, "", "", "")) {
                assertThat(wh.tableExists("call_details")).isFalse();
                assertThat(AnalyticsViews.ensure(wh)).containsExactlyElementsOf(AnalyticsViews.NAMES);
                assertThat(wh.count("v_calls")).isEqualTo(60);
                assertThat(wh.count("v_rep_engagement")).isPositive();
                assertThat(wh.count("v_team_engagement")).isPositive();
                assertThat(wh.count("v_transcript_turns")).isZero();
                assertThat(wh.count("v_action_items")).isZero();
                assertThat(wh.query("SELECT COUNT(*) AS n FROM " + wh.table("v_calls") + " WHERE deal_stage_live IS NOT NULL OR has_details"))
                        .extracting(r -> l(r.get("n"))).containsExactly(0L);
                assertThat(viewColumns(wh)).isEqualTo(viewColumns(w));
            }
            // the next sync brings details: ensure (as run after every sync) picks them up
            calls.option("clari.sync.streams", "users,calls,call_details");
            assertThat(calls.run("sync").exitCode()).isZero();
            try (Warehouse wh = Warehouse.open("jdbc:duckdb:" + calls.db, "", "", "")) {
                AnalyticsViews.ensure(wh);
                assertThat(wh.count("v_transcript_turns")).isPositive();
            }
        }
    }

    @Test
    void soft_deleted_details_should_drop_out_of_the_views() {
        try (SyncHarness small = new SyncHarness(SimulatorConfig.builder().callCount(40).build(), dir)) {
            assertThat(small.run("sync").exitCode()).isZero();
            try (Warehouse wh = Warehouse.open("jdbc:duckdb:" + small.db, "", "", "")) {
                String id = (String) wh.query("SELECT id FROM " + wh.table("call_details") + " ORDER BY id LIMIT 1").get(0).get("id");
                AnalyticsViews.ensure(wh);
                long turns = wh.count("v_transcript_turns");
                long mine = l(wh.query("SELECT COUNT(*) AS n FROM " + wh.table("call_details__transcript") + " WHERE _parent_id = ?", id)
                        .get(0).get("n"));
                wh.inTransaction(tx -> tx.markDeleted("call_details", List.of(id)));
                AnalyticsViews.ensure(wh);
                assertThat(mine).isPositive();
                assertThat(wh.count("v_transcript_turns")).isEqualTo(turns - mine);
                assertThat(wh.query("SELECT has_details FROM " + wh.table("v_calls") + " WHERE call_id = ?", id))
                        .extracting(r -> r.get("has_details")).containsExactly(false);
            }
        }
    }

    /** The README's example queries, one statement each. */
    static List<String> readmeExamples() throws Exception {
        String text;
        try (var in = AnalyticsViewsTest.class.getResourceAsStream("readme-examples.sql")) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        List<String> out = new ArrayList<>();
        for (String statement : text.replaceAll("(?m)^--.*$", "").split(";")) {
            if (!statement.isBlank()) {
                out.add(statement.trim());
            }
        }
        return out;
    }

    @Test
    void the_readme_examples_should_run() throws Exception {
        List<String> examples = readmeExamples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(5);
        for (String sql : examples) {
            assertThat(w.query(sql)).as(sql).isNotNull();
        }
        assertThat(w.query(examples.get(1))).isNotEmpty();
    }

    /** view → column names, as the database reports them. */
    static Map<String, List<String>> viewColumns(Warehouse wh) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String view : AnalyticsViews.NAMES) {
            out.put(view, wh.columns(view));
        }
        return out;
    }
}
