package dev.clarisync.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.warehouse.QueryPort;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the dashboard shows, read from the analytics views as aggregates (never row by row): weekly totals, per rep
 * and week figures, one compact row per deal, the latest action items, scorecard sums per rep, week and skill, and the
 * sync history. Every list is capped,
 * so memory and file size stay bounded whatever the warehouse holds. Days are epoch days (UTC), weeks the epoch day
 * of their Monday: the page filters them by date range without parsing.
 */
final class ReportData {
    /** Weeks of history embedded (the page filters within them). */
    static final int WEEKS = 53;
    /** Reps embedded: the most active ones in those weeks. */
    static final int MAX_REPS = 150;
    /** Deals embedded: the most recently active ones. */
    static final int MAX_DEALS = 5000;
    /** Action items embedded: the latest ones. */
    static final int MAX_ACTION_ITEMS = 300;
    /** Stages in their usual order; stages not listed follow in alphabetical order. */
    static final List<String> STAGE_ORDER = List.of("Prospecting", "Qualification", "Discovery", "Demo", "Solution",
            "Proposal", "Negotiation", "Closed Won", "Closed Lost");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportData() {
    }

    static ObjectNode read(QueryPort w, Instant now) {
        ObjectNode data = JSON.createObjectNode();
        data.put("generatedAt", now.toString());
        data.put("warehouse", w.describe());
        data.put("limits", limits());
        LocalDate lastWeek = lastWeek(w);
        String since = lastWeek == null ? null : "DATE '" + lastWeek.minusWeeks(WEEKS - 1) + "'";
        data.set("weekly", since == null ? JSON.createArrayNode() : weekly(w, since));
        ArrayNode reps = JSON.createArrayNode();
        data.set("reps", reps);
        data.set("repWeeks", since == null ? JSON.createArrayNode() : repWeeks(w, since, reps));
        ArrayNode stages = JSON.createArrayNode();
        data.set("stages", stages);
        data.set("deals", deals(w, stages, data));
        data.set("stageMoves", since == null ? JSON.createArrayNode() : stageMoves(w, since));
        data.set("actionItems", actionItems(w));
        data.set("coaching", coaching(w, since));
        data.set("totals", totals(w));
        data.set("freshness", freshness(w));
        return data;
    }

    private static String limits() {
        return "Embedded: the last " + WEEKS + " weeks with calls, the " + MAX_REPS + " most active reps, the " + MAX_DEALS
                + " most recently active deals and the latest " + MAX_ACTION_ITEMS + " action items.";
    }

    private static String v(QueryPort w, String view) {
        return w.table(view);
    }

    private static LocalDate lastWeek(QueryPort w) {
        Object last = w.query("SELECT MAX(week_start) AS last FROM " + v(w, AnalyticsViews.CALLS)).get(0).get("last");
        return last == null ? null : LocalDate.parse(last.toString());
    }

    /** [week, stage, terminal (0/1), deals that entered the stage that week] per week and stage ({@code v_deal_stage_movement}). */
    private static ArrayNode stageMoves(QueryPort w, String since) {
        ArrayNode out = JSON.createArrayNode();
        for (Map<String, Object> r : w.query("SELECT week_start, stage, is_terminal, deals_entered FROM "
                + v(w, AnalyticsViews.DEAL_STAGE_MOVEMENT) + " WHERE week_start >= " + since + " ORDER BY week_start, stage")) {
            out.addArray().add(day(r.get("week_start"))).add((String) r.get("stage"))
                    .add(Boolean.TRUE.equals(r.get("is_terminal")) ? 1 : 0).add(num(r.get("deals_entered")));
        }
        return out;
    }

    /** [week, calls, calls with metrics, sum of talk/listen ratios, questions by reps, engaging questions] per week. */
    private static ArrayNode weekly(QueryPort w, String since) {
        ArrayNode out = JSON.createArrayNode();
        for (Map<String, Object> r : w.query("SELECT week_start, COUNT(*) AS calls, COUNT(talk_listen_ratio) AS with_metrics, "
                + "SUM(talk_listen_ratio) AS tlr_sum, SUM(questions_asked_by_reps) AS questions, SUM(engaging_questions) AS engaging "
                + "FROM " + v(w, AnalyticsViews.CALLS) + " WHERE week_start >= " + since + " GROUP BY week_start ORDER BY week_start")) {
            out.addArray().add(day(r.get("week_start"))).add(num(r.get("calls"))).add(num(r.get("with_metrics")))
                    .add(dbl(r.get("tlr_sum"))).add(num(r.get("questions"))).add(num(r.get("engaging")));
        }
        return out;
    }

    /**
     * Fills {@code reps} with [id, name, email, manager] of the most active reps and returns per rep and week
     * [rep index, week, calls, calls with metrics, sum of talk/listen ratios, questions by reps, engaging questions].
     */
    private static ArrayNode repWeeks(QueryPort w, String since, ArrayNode reps) {
        String view = v(w, AnalyticsViews.REP_ENGAGEMENT);
        String top = "SELECT user_id, MAX(rep_name) AS name, MAX(rep_email) AS email, MAX(manager_name) AS manager, SUM(calls) AS calls "
                + "FROM " + view + " WHERE week_start >= " + since + " GROUP BY user_id ORDER BY SUM(calls) DESC, user_id LIMIT " + MAX_REPS;
        Map<String, Integer> index = new HashMap<>();
        for (Map<String, Object> r : w.query(top)) {
            index.put((String) r.get("user_id"), reps.size());
            reps.addArray().add((String) r.get("user_id")).add((String) r.get("name")).add((String) r.get("email"))
                    .add((String) r.get("manager"));
        }
        ArrayNode out = JSON.createArrayNode();
        for (Map<String, Object> r : w.query("SELECT user_id, week_start, calls, calls_with_metrics, avg_talk_listen_ratio, "
                + "questions_asked_by_reps, engaging_questions FROM " + view + " WHERE week_start >= " + since
                + " AND user_id IN (SELECT user_id FROM (" + top + ") t) ORDER BY user_id, week_start")) {
            Integer rep = index.get((String) r.get("user_id"));
            if (rep == null) {
                continue; // a tie at the cut-off resolved differently by the second query
            }
            long withMetrics = num(r.get("calls_with_metrics"));
            out.addArray().add(rep).add(day(r.get("week_start"))).add(num(r.get("calls"))).add(withMetrics)
                    .add(r.get("avg_talk_listen_ratio") == null ? 0 : dbl(r.get("avg_talk_listen_ratio")) * withMetrics)
                    .add(num(r.get("questions_asked_by_reps"))).add(num(r.get("engaging_questions")));
        }
        return out;
    }

    /**
     * Fills {@code stages} (the usual ones in their order, then others alphabetically; {@code knownStages} of
     * {@code known} says how many are usual) and returns per deal [first stage, current stage, first day, last day, open]. */
    private static ArrayNode deals(QueryPort w, ArrayNode stages, ObjectNode known) {
        List<Map<String, Object>> rows = w.query("SELECT deal_key, MAX(first_stage) AS first_stage, MAX(current_stage) AS current_stage, "
                + "MIN(call_time) AS first_call, MAX(call_time) AS last_call, "
                + "MAX(CASE WHEN is_open THEN 1 WHEN is_open IS NULL THEN -1 ELSE 0 END) AS is_open "
                + "FROM " + v(w, AnalyticsViews.DEAL_PROGRESSION) + " GROUP BY deal_key "
                + "ORDER BY MAX(call_time) DESC NULLS LAST, deal_key LIMIT " + MAX_DEALS);
        TreeSet<String> others = new TreeSet<>();
        for (Map<String, Object> r : rows) {
            for (String k : List.of("first_stage", "current_stage")) {
                String s = (String) r.get(k);
                if (s != null && !STAGE_ORDER.contains(s)) {
                    others.add(s);
                }
            }
        }
        List<String> order = new ArrayList<>();
        for (String s : STAGE_ORDER) {
            if (rows.stream().anyMatch(r -> s.equals(r.get("first_stage")) || s.equals(r.get("current_stage")))) {
                order.add(s);
            }
        }
        known.put("knownStages", order.size()); // stages before this index have a known order
        order.addAll(others);
        order.forEach(stages::add);
        ArrayNode out = JSON.createArrayNode();
        for (Map<String, Object> r : rows) {
            out.addArray().add(order.indexOf((String) r.get("first_stage"))).add(order.indexOf((String) r.get("current_stage")))
                    .add(dayOfInstant(r.get("first_call"))).add(dayOfInstant(r.get("last_call"))).add(num(r.get("is_open")));
        }
        return out;
    }

    /**
     * Scorecards from {@code v_rep_coaching}, as sums so that any range of weeks adds up exactly: {@code reps} [id, name,
     * email] (the most scored), {@code skills} [name], {@code repWeeks} per rep and week [rep index, week, scorecards,
     * scorecards with a total, sum of totals, answers, sum of answers] and {@code skillWeeks} per rep, week and skill
     * [rep index, week, skill index, scorecards, answers, sum of answers]. Scorecards whose call is not in the warehouse
     * have no week and are left out.
     */
    private static ObjectNode coaching(QueryPort w, String since) {
        ObjectNode c = JSON.createObjectNode();
        ArrayNode reps = c.putArray("reps");
        ArrayNode skills = c.putArray("skills");
        ArrayNode repWeeks = c.putArray("repWeeks");
        ArrayNode skillWeeks = c.putArray("skillWeeks");
        if (since == null) {
            return c;
        }
        String view = v(w, AnalyticsViews.REP_COACHING);
        String top = "SELECT user_id, MAX(rep_name) AS name, MAX(rep_email) AS email FROM " + view
                + " WHERE skill IS NULL AND week_start >= " + since + " GROUP BY user_id ORDER BY SUM(scorecards) DESC, user_id LIMIT "
                + MAX_REPS;
        Map<String, Integer> index = new HashMap<>();
        for (Map<String, Object> r : w.query(top)) {
            index.put((String) r.get("user_id"), reps.size());
            reps.addArray().add((String) r.get("user_id")).add((String) r.get("name")).add((String) r.get("email"));
        }
        Map<String, Integer> skillIndex = new HashMap<>();
        for (Map<String, Object> r : w.query("SELECT user_id, week_start, skill, scorecards, scored_scorecards, avg_total_score, answers, "
                + "avg_score FROM " + view + " WHERE week_start >= " + since + " AND user_id IN (SELECT user_id FROM (" + top + ") t) "
                + "ORDER BY user_id, week_start, skill NULLS FIRST")) {
            Integer rep = index.get((String) r.get("user_id"));
            if (rep == null) {
                continue;
            }
            long answers = num(r.get("answers"));
            double answerSum = r.get("avg_score") == null ? 0 : dbl(r.get("avg_score")) * answers;
            String skill = (String) r.get("skill");
            if (skill == null) {
                long scored = num(r.get("scored_scorecards"));
                repWeeks.addArray().add(rep).add(day(r.get("week_start"))).add(num(r.get("scorecards"))).add(scored)
                        .add(r.get("avg_total_score") == null ? 0 : dbl(r.get("avg_total_score")) * scored).add(answers).add(answerSum);
            } else {
                Integer k = skillIndex.computeIfAbsent(skill, x -> {
                    skills.add(x);
                    return skills.size() - 1;
                });
                skillWeeks.addArray().add(rep).add(day(r.get("week_start"))).add(k).add(num(r.get("scorecards"))).add(answers)
                        .add(answerSum);
            }
        }
        return c;
    }

    /** The latest action items: [day, call time, call title, item, owner, speaker, deal, account, timeline, call id]. */
    private static ArrayNode actionItems(QueryPort w) {
        ArrayNode out = JSON.createArrayNode();
        for (Map<String, Object> r : w.query("SELECT call_id, call_time, title, action_item, owner_name, speaker_name, deal_name, "
                + "account_name, timeline FROM " + v(w, AnalyticsViews.ACTION_ITEMS)
                + " ORDER BY call_time DESC NULLS LAST, call_id, item_idx LIMIT " + MAX_ACTION_ITEMS)) {
            Instant t = (Instant) r.get("call_time");
            ArrayNode row = out.addArray();
            if (t == null) {
                row.addNull().addNull();
            } else {
                row.add(dayOfInstant(t)).add(t.toString());
            }
            for (String k : List.of("title", "action_item", "owner_name", "speaker_name", "deal_name", "account_name", "timeline", "call_id")) {
                row.add((String) r.get(k));
            }
        }
        return out;
    }

    private static ObjectNode totals(QueryPort w) {
        ObjectNode t = JSON.createObjectNode();
        Map<String, Object> r = w.query("SELECT COUNT(*) AS calls, MIN(call_time) AS first_call, MAX(call_time) AS last_call, "
                + "COUNT(CASE WHEN has_details THEN 1 END) AS with_details FROM " + v(w, AnalyticsViews.CALLS)).get(0);
        t.put("calls", num(r.get("calls")));
        t.put("callsWithDetails", num(r.get("with_details")));
        t.put("firstCall", r.get("first_call") == null ? null : r.get("first_call").toString());
        t.put("lastCall", r.get("last_call") == null ? null : r.get("last_call").toString());
        t.put("actionItems", w.count(AnalyticsViews.ACTION_ITEMS));
        return t;
    }

    /** The latest run, and the latest successful one, from {@code _sync_runs}. */
    private static ObjectNode freshness(QueryPort w) {
        ObjectNode f = JSON.createObjectNode();
        if (!w.tableExists("_sync_runs")) {
            return f;
        }
        String cols = "SELECT run_id, command, started_at, ended_at, outcome, message, rows_written, requests, retries FROM "
                + w.table("_sync_runs");
        String order = " ORDER BY COALESCE(ended_at, started_at) DESC NULLS LAST, run_id LIMIT 1";
        List<Map<String, Object>> last = w.query(cols + order);
        List<Map<String, Object>> ok = w.query(cols + " WHERE outcome = 'succeeded'" + order);
        f.put("runs", w.count("_sync_runs"));
        if (!last.isEmpty()) {
            f.set("lastRun", run(last.get(0)));
        }
        if (!ok.isEmpty()) {
            f.set("lastSuccess", run(ok.get(0)));
        }
        return f;
    }

    private static ObjectNode run(Map<String, Object> r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("command", (String) r.get("command"));
        n.put("outcome", (String) r.get("outcome"));
        n.put("message", (String) r.get("message"));
        n.put("startedAt", r.get("started_at") == null ? null : r.get("started_at").toString());
        n.put("endedAt", r.get("ended_at") == null ? null : r.get("ended_at").toString());
        n.put("requests", r.get("requests") == null ? 0 : num(r.get("requests")));
        n.put("retries", r.get("retries") == null ? 0 : num(r.get("retries")));
        long rows = 0;
        String written = (String) r.get("rows_written");
        if (written != null) {
            try {
                JsonNode perTable = JSON.readTree(written);
                for (JsonNode count : perTable) {
                    rows += count.asLong(0);
                }
            } catch (JsonProcessingException e) {
                rows = -1; // unreadable: shown as unknown
            }
        }
        n.put("rowsWritten", rows);
        return n;
    }

    private static long num(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    private static double dbl(Object o) {
        return o == null ? 0 : ((Number) o).doubleValue();
    }

    /** A DATE value (java.sql.Date or LocalDate, by driver) as its epoch day. */
    private static long day(Object date) {
        return LocalDate.parse(date.toString()).toEpochDay();
    }

    private static Long dayOfInstant(Object instant) {
        return instant == null ? null : ((Instant) instant).atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
    }
}
