package dev.clarisync.report;

import dev.clarisync.warehouse.QueryPort;
import dev.clarisync.warehouse.Warehouse;
import dev.clarisync.warehouse.WarehouseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics views: SQL over the synced tables that answers the questions revenue teams ask (per rep and week,
 * per team, per deal, per account; action items; transcript turns; scorecards and coaching per rep, week and skill),
 * created in the warehouse's schema next to the tables.
 *
 * <p><b>Same SQL on DuckDB and PostgreSQL.</b> The definitions use only SQL both understand (no dialect functions):
 * the ISO week is computed from {@code EXTRACT(EPOCH ...)}, so it is the UTC week whatever the session time zone is,
 * aggregates are cast to {@code BIGINT} / {@code DOUBLE PRECISION} so both databases return the same types, and
 * {@code NULLS LAST} is spelled out wherever order matters. Tables are named schema-qualified (never with DuckDB's
 * catalog name), so a DuckDB file keeps working when it is copied or attached under another name.
 *
 * <p><b>Missing tables and columns.</b> Every view is always created, with the same columns. Each source table is
 * read through a normalising sub-select that lists the columns the views use: a column the warehouse does not have
 * (yet) reads as a typed NULL, and a table that does not exist (yet) reads as an empty relation. So before the first
 * {@code call_details} sync, {@code v_transcript_turns} and {@code v_action_items} exist but are empty, and the
 * details columns of the other views ({@code deal_stage_live}, {@code summary}) are NULL. Because the definitions
 * depend on what exists, {@link #ensure} is re-run after every sync: new tables and columns then show up.
 *
 * <p><b>Deleted rows.</b> Rows whose {@code _deleted} flag is set (calls whose details vanished upstream) are left out.
 */
public final class AnalyticsViews {

    /** One row per call (not deleted), with normalised names, UTC date and ISO week, and the details fields. */
    public static final String CALLS = "v_calls";
    /** Per rep (internal user on the call) and ISO week. */
    public static final String REP_ENGAGEMENT = "v_rep_engagement";
    /** Per manager (team = the manager and everyone below them in the manager_id tree) and ISO week. */
    public static final String TEAM_ENGAGEMENT = "v_team_engagement";
    /** One row per call of a deal, in time order, with stage before the call, live stage, first and current stage. */
    public static final String DEAL_PROGRESSION = "v_deal_progression";
    /** One row per key action item of a call summary. */
    public static final String ACTION_ITEMS = "v_action_items";
    /** Per account. */
    public static final String ACCOUNT_PERFORMANCE = "v_account_performance";
    /** One row per transcript turn. */
    public static final String TRANSCRIPT_TURNS = "v_transcript_turns";

    /** One row per scorecard, with rep, scorer and template names, and the scored call's title, time, deal and account. */
    public static final String SCORECARDS = "v_scorecards";
    /**
     * Per rep (the scorecard's {@code rep}) and ISO week of the scored call: one row with {@code skill} NULL for all the
     * rep's scorecards that week, and one row per skill scored that week.
     */
    public static final String REP_COACHING = "v_rep_coaching";

    /** One row per span of a deal's stage, from the history tables ({@link HistoryViews}). */
    public static final String DEAL_STAGE_HISTORY = HistoryViews.DEAL_STAGE_HISTORY;
    /** Per ISO week and stage: deals entering the stage, terminal stages counted once ({@link HistoryViews}). */
    public static final String DEAL_STAGE_MOVEMENT = HistoryViews.DEAL_STAGE_MOVEMENT;

    /** Every view, in creation order (a view only uses views before it). */
    public static final List<String> NAMES = List.of(CALLS, REP_ENGAGEMENT, TEAM_ENGAGEMENT, DEAL_PROGRESSION, ACTION_ITEMS,
            ACCOUNT_PERFORMANCE, TRANSCRIPT_TURNS, SCORECARDS, REP_COACHING, DEAL_STAGE_HISTORY, DEAL_STAGE_MOVEMENT);

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsViews.class);
    private static final String VARCHAR = "VARCHAR";
    private static final String BIGINT = "BIGINT";
    private static final String DOUBLE = "DOUBLE PRECISION";
    private static final String BOOLEAN = "BOOLEAN";
    private static final String TIMESTAMP = "TIMESTAMP";
    private static final String INTEGER = "INTEGER";
    /** Depth guard of the manager tree walk: a manager_id cycle in the data must not loop forever. */
    static final int MAX_TREE_DEPTH = 32;

    private AnalyticsViews() {
    }

    /**
     * Creates or replaces every analytics view in one transaction (readers see the old set or the new one, never a
     * mix) and returns their names. Cheap (a few catalogue reads and DDL statements): run it after every sync.
     *
     * @throws WarehouseException if the views cannot be replaced, e.g. on PostgreSQL a view of your own depends on one
     *                            of them (the old views are kept then)
     */
    public static List<String> ensure(Warehouse w) {
        Objects.requireNonNull(w, "warehouse");
        Map<String, String> defs = definitions(w);
        try {
            w.replaceViews(dropOrder(), defs);
        } catch (WarehouseException e) {
            throw new WarehouseException("cannot create the analytics views (" + oneLine(e.getMessage())
                    + "); if a view of your own uses one of them, drop it and run again", e);
        }
        return List.copyOf(defs.keySet());
    }

    /**
     * The analytics views in the order they are dropped (dependants first). On PostgreSQL a view pins
     * the types of the columns it reads: a sync that must widen such a column ({@code ALTER COLUMN ... SET DATA
     * TYPE}) fails while the views exist. Dropping them in the same transaction, before the ALTER, and
     * {@link #ensure} after the sync avoids that.
     */
    public static List<String> dropOrder() {
        List<String> names = new ArrayList<>(NAMES);
        Collections.reverse(names);
        return names;
    }

    /** Drops every analytics view (in one transaction). */
    public static void drop(Warehouse w) {
        w.replaceViews(dropOrder(), Map.of());
    }

    /** View name → SELECT statement, in creation order, for the tables and columns this warehouse has now. */
    public static Map<String, String> definitions(QueryPort w) {
        return definitions(Sources.read(w));
    }

    static Map<String, String> definitions(Sources src) {
        Map<String, String> defs = new LinkedHashMap<>();
        defs.put(CALLS, calls(src));
        defs.put(REP_ENGAGEMENT, repEngagement(src));
        defs.put(TEAM_ENGAGEMENT, teamEngagement(src));
        defs.put(DEAL_PROGRESSION, dealProgression(src));
        defs.put(ACTION_ITEMS, actionItems(src));
        defs.put(ACCOUNT_PERFORMANCE, accountPerformance(src));
        defs.put(TRANSCRIPT_TURNS, transcriptTurns(src));
        defs.put(SCORECARDS, scorecards(src));
        defs.put(REP_COACHING, repCoaching(src));
        defs.put(DEAL_STAGE_HISTORY, HistoryViews.dealStageHistory(src));
        defs.put(DEAL_STAGE_MOVEMENT, HistoryViews.dealStageMovement(src));
        return defs;
    }

    // ---- the views ----

    private static String calls(Sources src) {
        String calls = src.relation("calls",
                col("call_id", "id", VARCHAR),
                col("call_time", "time", TIMESTAMP),
                expr("epoch_day", "time", TIMESTAMP, "CAST(FLOOR(EXTRACT(EPOCH FROM %s) / 86400) AS INTEGER)", INTEGER),
                col("title", "title", VARCHAR),
                col("status", "status", VARCHAR),
                col("call_type", "type", VARCHAR),
                col("account_name", "account_name", VARCHAR),
                col("deal_id", "crm_info__deal_id", VARCHAR),
                col("deal_name", "deal_name", VARCHAR),
                col("deal_value", "deal_value", VARCHAR),
                col("deal_stage_before_call", "deal_stage_before_call", VARCHAR),
                col("deal_close_date", "deal_close_date", TIMESTAMP),
                col("call_duration_s", "metrics__call_duration", BIGINT),
                col("talk_listen_ratio", "metrics__talk_listen_ratio", DOUBLE),
                col("questions_asked", "metrics__num_questions_asked", BIGINT),
                col("questions_asked_by_reps", "metrics__num_questions_asked_by_reps", BIGINT),
                col("engaging_questions", "metrics__engaging_questions", BIGINT),
                col("longest_monologue_s", "metrics__longest_monologue_duration", DOUBLE),
                col("speak_duration_s", "metrics__total_speak_duration", DOUBLE),
                col("call_review_page_url", "call_review_page_url", VARCHAR));
        String details = src.relation("call_details",
                col("call_id", "id", VARCHAR),
                col("deal_stage_live", "deal_stage_live", VARCHAR),
                col("summary", "summary__full_summary", VARCHAR));
        return """
                SELECT x.*,
                  CAST(EXTRACT(ISOYEAR FROM x.week_start) AS INTEGER) AS iso_year,
                  CAST(EXTRACT(WEEK FROM x.week_start) AS INTEGER) AS iso_week
                FROM (
                  SELECT c.call_id, c.call_time,
                    DATE '1970-01-01' + c.epoch_day AS call_date,
                    DATE '1970-01-01' + (c.epoch_day - ((c.epoch_day %% 7 + 10) %% 7)) AS week_start,
                    c.title, c.status, c.call_type, c.account_name,
                    COALESCE(NULLIF(c.deal_id, ''), NULLIF(c.deal_name, '')) AS deal_key,
                    c.deal_id, c.deal_name, c.deal_value, c.deal_stage_before_call, d.deal_stage_live, c.deal_close_date,
                    c.call_duration_s, c.talk_listen_ratio, c.questions_asked, c.questions_asked_by_reps,
                    c.engaging_questions, c.longest_monologue_s, c.speak_duration_s,
                    d.summary, c.call_review_page_url,
                    CASE WHEN d.call_id IS NULL THEN FALSE ELSE TRUE END AS has_details
                  FROM %s c
                  LEFT JOIN %s d ON d.call_id = c.call_id
                ) x""".formatted(calls, details);
    }

    /** One row per (call, internal user): the attribution of calls to reps. */
    private static String callUsers(Sources src) {
        String cu = src.relation("calls__users",
                col("call_id", "_parent_id", VARCHAR),
                col("user_id", "user_id", VARCHAR),
                col("user_email", "user_email", VARCHAR),
                col("is_organizer", "is_organizer", BOOLEAN));
        return """
                (SELECT a.call_id, a.user_id, MAX(a.user_email) AS user_email,
                    MAX(CASE WHEN a.is_organizer THEN 1 ELSE 0 END) AS is_organizer
                  FROM %s a WHERE a.user_id IS NOT NULL GROUP BY a.call_id, a.user_id)""".formatted(cu);
    }

    private static String users(Sources src) {
        return src.relation("users",
                col("user_id", "id", VARCHAR),
                col("email", "email", VARCHAR),
                col("name", "name", VARCHAR),
                col("role", "role", VARCHAR),
                col("manager_id", "manager_id", VARCHAR));
    }

    private static String repEngagement(Sources src) {
        return """
                SELECT r.user_id,
                  COALESCE(u.name, r.user_email, r.user_id) AS rep_name,
                  COALESCE(u.email, r.user_email) AS rep_email,
                  u.role, u.manager_id, m.name AS manager_name,
                  r.week_start,
                  CAST(EXTRACT(ISOYEAR FROM r.week_start) AS INTEGER) AS iso_year,
                  CAST(EXTRACT(WEEK FROM r.week_start) AS INTEGER) AS iso_week,
                  r.calls, r.organized_calls, r.calls_with_metrics, r.avg_talk_listen_ratio,
                  r.questions_asked_by_reps, r.avg_questions_by_reps, r.questions_asked,
                  r.engaging_questions, r.longest_monologue_s, r.avg_longest_monologue_s, r.speaking_time_s, r.call_time_s
                FROM (
                  SELECT a.user_id, MAX(a.user_email) AS user_email, c.week_start,
                    COUNT(*) AS calls,
                    CAST(SUM(a.is_organizer) AS BIGINT) AS organized_calls,
                    COUNT(c.talk_listen_ratio) AS calls_with_metrics,
                    CAST(AVG(c.talk_listen_ratio) AS DOUBLE PRECISION) AS avg_talk_listen_ratio,
                    CAST(SUM(c.questions_asked_by_reps) AS BIGINT) AS questions_asked_by_reps,
                    CAST(AVG(c.questions_asked_by_reps) AS DOUBLE PRECISION) AS avg_questions_by_reps,
                    CAST(SUM(c.questions_asked) AS BIGINT) AS questions_asked,
                    CAST(SUM(c.engaging_questions) AS BIGINT) AS engaging_questions,
                    CAST(MAX(c.longest_monologue_s) AS DOUBLE PRECISION) AS longest_monologue_s,
                    CAST(AVG(c.longest_monologue_s) AS DOUBLE PRECISION) AS avg_longest_monologue_s,
                    CAST(SUM(c.speak_duration_s) AS DOUBLE PRECISION) AS speaking_time_s,
                    CAST(SUM(c.call_duration_s) AS BIGINT) AS call_time_s
                  FROM %s a
                  JOIN %s c ON c.call_id = a.call_id
                  GROUP BY a.user_id, c.week_start
                ) r
                LEFT JOIN %s u ON u.user_id = r.user_id
                LEFT JOIN %s m ON m.user_id = u.manager_id""".formatted(callUsers(src), view(src, CALLS), users(src),
                users(src));
    }

    private static String teamEngagement(Sources src) {
        return """
                WITH RECURSIVE tree (manager_id, member_id, depth) AS (
                  SELECT u.user_id, u.user_id, 0 FROM %1$s u
                  UNION ALL
                  SELECT t.manager_id, u.user_id, t.depth + 1
                  FROM tree t JOIN %1$s u ON u.manager_id = t.member_id
                  WHERE t.depth < %2$d
                ),
                members AS (SELECT DISTINCT manager_id, member_id FROM tree),
                teams AS (SELECT manager_id, COUNT(*) AS team_size FROM members GROUP BY manager_id HAVING COUNT(*) > 1),
                member_calls AS (
                  SELECT DISTINCT mb.manager_id, a.user_id, a.call_id
                  FROM members mb JOIN teams tm ON tm.manager_id = mb.manager_id
                  JOIN %3$s a ON a.user_id = mb.member_id
                ),
                team_calls AS (SELECT DISTINCT manager_id, call_id FROM member_calls),
                per_week AS (
                  SELECT tc.manager_id, c.week_start,
                    COUNT(*) AS calls,
                    COUNT(c.talk_listen_ratio) AS calls_with_metrics,
                    CAST(AVG(c.talk_listen_ratio) AS DOUBLE PRECISION) AS avg_talk_listen_ratio,
                    CAST(SUM(c.questions_asked_by_reps) AS BIGINT) AS questions_asked_by_reps,
                    CAST(AVG(c.questions_asked_by_reps) AS DOUBLE PRECISION) AS avg_questions_by_reps,
                    CAST(SUM(c.engaging_questions) AS BIGINT) AS engaging_questions,
                    CAST(MAX(c.longest_monologue_s) AS DOUBLE PRECISION) AS longest_monologue_s,
                    CAST(SUM(c.speak_duration_s) AS DOUBLE PRECISION) AS speaking_time_s,
                    CAST(SUM(c.call_duration_s) AS BIGINT) AS call_time_s
                  FROM team_calls tc JOIN %4$s c ON c.call_id = tc.call_id
                  GROUP BY tc.manager_id, c.week_start
                ),
                active AS (
                  SELECT mc.manager_id, c.week_start, COUNT(DISTINCT mc.user_id) AS active_members
                  FROM member_calls mc JOIN %4$s c ON c.call_id = mc.call_id
                  GROUP BY mc.manager_id, c.week_start
                )
                SELECT p.manager_id, mu.name AS manager_name, mu.email AS manager_email, tm.team_size,
                  p.week_start,
                  CAST(EXTRACT(ISOYEAR FROM p.week_start) AS INTEGER) AS iso_year,
                  CAST(EXTRACT(WEEK FROM p.week_start) AS INTEGER) AS iso_week,
                  p.calls, ac.active_members, p.calls_with_metrics, p.avg_talk_listen_ratio, p.questions_asked_by_reps,
                  p.avg_questions_by_reps, p.engaging_questions, p.longest_monologue_s, p.speaking_time_s, p.call_time_s
                FROM per_week p
                JOIN teams tm ON tm.manager_id = p.manager_id
                LEFT JOIN active ac ON ac.manager_id = p.manager_id
                  AND (ac.week_start = p.week_start OR (ac.week_start IS NULL AND p.week_start IS NULL))
                LEFT JOIN %1$s mu ON mu.user_id = p.manager_id""".formatted(users(src), MAX_TREE_DEPTH, callUsers(src),
                view(src, CALLS));
    }

    private static String dealProgression(Sources src) {
        return """
                SELECT p.*,
                  CASE WHEN p.current_stage IS NULL THEN NULL
                       WHEN LOWER(p.current_stage) LIKE 'closed%%' THEN FALSE ELSE TRUE END AS is_open
                FROM (
                  SELECT c.deal_key, c.deal_id, COALESCE(c.deal_name, c.deal_id) AS deal_name, c.account_name,
                    c.call_id, c.call_time, c.week_start, c.title,
                    ROW_NUMBER() OVER (PARTITION BY c.deal_key ORDER BY c.call_time NULLS LAST, c.call_id) AS call_seq,
                    COUNT(*) OVER (PARTITION BY c.deal_key) AS deal_calls,
                    c.deal_stage_before_call AS stage_before_call,
                    c.deal_stage_live AS stage_live,
                    LAG(c.deal_stage_before_call) OVER (PARTITION BY c.deal_key ORDER BY c.call_time NULLS LAST, c.call_id)
                      AS previous_call_stage,
                    FIRST_VALUE(c.deal_stage_before_call) OVER (PARTITION BY c.deal_key
                      ORDER BY CASE WHEN c.deal_stage_before_call IS NULL THEN 1 ELSE 0 END, c.call_time NULLS LAST, c.call_id
                      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS first_stage,
                    FIRST_VALUE(COALESCE(c.deal_stage_live, c.deal_stage_before_call)) OVER (PARTITION BY c.deal_key
                      ORDER BY CASE WHEN COALESCE(c.deal_stage_live, c.deal_stage_before_call) IS NULL THEN 1 ELSE 0 END,
                        c.call_time DESC NULLS LAST, c.call_id DESC
                      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS current_stage,
                    c.deal_close_date, c.deal_value, c.summary
                  FROM %s c
                  WHERE c.deal_key IS NOT NULL
                ) p""".formatted(view(src, CALLS));
    }

    private static String actionItems(Sources src) {
        String items = src.relation("call_details__summary__key_action_items",
                col("call_id", "_parent_id", VARCHAR),
                col("item_idx", "_idx", BIGINT),
                col("action_item", "action_item", VARCHAR),
                col("owner_name", "owner_name", VARCHAR),
                col("speaker_name", "speaker_name", VARCHAR),
                col("timeline", "timeline", VARCHAR),
                col("reasoning", "reasoning", VARCHAR),
                col("start_timestamp", "start_timestamp", VARCHAR),
                col("end_timestamp", "end_timestamp", VARCHAR));
        return """
                SELECT i.call_id, c.call_time, c.week_start, c.title, i.item_idx, i.action_item, i.owner_name,
                  i.speaker_name, i.timeline, i.reasoning, i.start_timestamp, i.end_timestamp,
                  c.deal_key, c.deal_id, c.deal_name, c.deal_stage_live, c.account_name
                FROM %s i
                JOIN %s c ON c.call_id = i.call_id AND c.has_details""".formatted(items, view(src, CALLS));
    }

    private static String accountPerformance(Sources src) {
        return """
                SELECT a.account_name, a.calls, a.calls_with_metrics, r.reps_involved, a.avg_talk_listen_ratio,
                  a.avg_questions_by_reps, a.first_call, a.last_call, a.call_time_s,
                  COALESCE(d.deals, 0) AS deals, COALESCE(d.open_deals, 0) AS open_deals
                FROM (
                  SELECT c.account_name,
                    COUNT(*) AS calls,
                    COUNT(c.talk_listen_ratio) AS calls_with_metrics,
                    CAST(AVG(c.talk_listen_ratio) AS DOUBLE PRECISION) AS avg_talk_listen_ratio,
                    CAST(AVG(c.questions_asked_by_reps) AS DOUBLE PRECISION) AS avg_questions_by_reps,
                    MIN(c.call_time) AS first_call,
                    MAX(c.call_time) AS last_call,
                    CAST(SUM(c.call_duration_s) AS BIGINT) AS call_time_s
                  FROM %1$s c WHERE c.account_name IS NOT NULL
                  GROUP BY c.account_name
                ) a
                LEFT JOIN (
                  SELECT c.account_name, COUNT(DISTINCT u.user_id) AS reps_involved
                  FROM %1$s c JOIN %2$s u ON u.call_id = c.call_id
                  WHERE c.account_name IS NOT NULL
                  GROUP BY c.account_name
                ) r ON r.account_name = a.account_name
                LEFT JOIN (
                  SELECT p.account_name, COUNT(DISTINCT p.deal_key) AS deals,
                    COUNT(DISTINCT CASE WHEN p.is_open THEN p.deal_key END) AS open_deals
                  FROM %3$s p WHERE p.account_name IS NOT NULL
                  GROUP BY p.account_name
                ) d ON d.account_name = a.account_name""".formatted(view(src, CALLS), callUsers(src),
                view(src, DEAL_PROGRESSION));
    }

    private static String transcriptTurns(Sources src) {
        String turns = src.relation("call_details__transcript",
                col("call_id", "_parent_id", VARCHAR),
                col("turn_idx", "_idx", BIGINT),
                col("speaker_name", "speaker_name", VARCHAR),
                col("speaker_email", "speaker_email", VARCHAR),
                col("speaker_internal", "speaker_internal", BOOLEAN),
                col("person_id", "person_id", BIGINT),
                col("start_s", "start", DOUBLE),
                col("end_s", "end", DOUBLE),
                col("text", "text", VARCHAR));
        return """
                SELECT t.call_id, c.call_time, c.title, t.turn_idx, t.speaker_name, t.speaker_email, t.speaker_internal,
                  t.person_id, t.start_s, t.end_s, t.end_s - t.start_s AS duration_s, t.text
                FROM %s t
                JOIN %s c ON c.call_id = t.call_id AND c.has_details""".formatted(turns, view(src, CALLS));
    }

    /** The answers of every scorecard: one row per question, score NULL when it was not answered. */
    private static String questionScores(Sources src) {
        return src.relation("scorecards__questions_score",
                col("scorecard_id", "_parent_id", VARCHAR),
                col("question_idx", "_idx", BIGINT),
                col("skill", "skill", VARCHAR),
                col("label", "label", VARCHAR),
                col("score", "score", DOUBLE));
    }

    private static String scorecards(Sources src) {
        String scorecards = src.relation("scorecards",
                col("scorecard_id", "id", VARCHAR),
                col("scorecard_type", "type", VARCHAR),
                col("rep_id", "rep", VARCHAR),
                col("scorer_id", "scorer", VARCHAR),
                col("template_id", "template_id", VARCHAR),
                col("call_id", "call_id", VARCHAR),
                col("total_score", "total_score", DOUBLE),
                col("remark", "remark", VARCHAR));
        String templates = src.relation("scorecard_templates",
                col("template_id", "id", VARCHAR),
                col("template_name", "name", VARCHAR));
        return """
                SELECT s.scorecard_id, s.scorecard_type, s.call_id, c.call_time, c.week_start,
                  CAST(EXTRACT(ISOYEAR FROM c.week_start) AS INTEGER) AS iso_year,
                  CAST(EXTRACT(WEEK FROM c.week_start) AS INTEGER) AS iso_week,
                  c.title,
                  s.rep_id, COALESCE(r.name, r.email, s.rep_id) AS rep_name, r.email AS rep_email,
                  s.scorer_id, COALESCE(sr.name, sr.email, s.scorer_id) AS scorer_name, sr.email AS scorer_email,
                  s.template_id, t.template_name, s.total_score,
                  CAST(COALESCE(q.questions, 0) AS BIGINT) AS questions,
                  CAST(COALESCE(q.answered, 0) AS BIGINT) AS questions_answered,
                  s.remark, c.deal_key, c.deal_id, c.deal_name, c.deal_stage_before_call, c.account_name
                FROM %1$s s
                LEFT JOIN %2$s c ON c.call_id = s.call_id
                LEFT JOIN %3$s r ON r.user_id = s.rep_id
                LEFT JOIN %3$s sr ON sr.user_id = s.scorer_id
                LEFT JOIN %4$s t ON t.template_id = s.template_id
                LEFT JOIN (
                  SELECT a.scorecard_id, COUNT(*) AS questions, COUNT(a.score) AS answered FROM %5$s a GROUP BY a.scorecard_id
                ) q ON q.scorecard_id = s.scorecard_id""".formatted(scorecards, view(src, CALLS), users(src), templates,
                questionScores(src));
    }

    private static String repCoaching(Sources src) {
        return """
                WITH s AS (SELECT v.scorecard_id, v.rep_id, v.week_start, v.total_score FROM %1$s v),
                q AS (SELECT a.scorecard_id, COALESCE(a.skill, '(no skill)') AS skill, a.score FROM %2$s a),
                per_week AS (
                  SELECT s.rep_id, s.week_start, CAST(NULL AS VARCHAR) AS skill,
                    COUNT(*) AS scorecards,
                    COUNT(s.total_score) AS scored_scorecards,
                    CAST(AVG(s.total_score) AS DOUBLE PRECISION) AS avg_total_score,
                    CAST(COALESCE(SUM(a.answers), 0) AS BIGINT) AS answers,
                    CAST(SUM(a.score_sum) / NULLIF(SUM(a.answers), 0) AS DOUBLE PRECISION) AS avg_score
                  FROM s
                  LEFT JOIN (SELECT q.scorecard_id, COUNT(q.score) AS answers, CAST(SUM(q.score) AS DOUBLE PRECISION) AS score_sum
                    FROM q GROUP BY q.scorecard_id) a ON a.scorecard_id = s.scorecard_id
                  GROUP BY s.rep_id, s.week_start
                ),
                per_skill AS (
                  SELECT s.rep_id, s.week_start, q.skill,
                    COUNT(DISTINCT s.scorecard_id) AS scorecards,
                    CAST(NULL AS BIGINT) AS scored_scorecards,
                    CAST(NULL AS DOUBLE PRECISION) AS avg_total_score,
                    COUNT(q.score) AS answers,
                    CAST(AVG(q.score) AS DOUBLE PRECISION) AS avg_score
                  FROM s JOIN q ON q.scorecard_id = s.scorecard_id
                  GROUP BY s.rep_id, s.week_start, q.skill
                ),
                x AS (SELECT * FROM per_week UNION ALL SELECT * FROM per_skill)
                SELECT x.rep_id AS user_id, COALESCE(u.name, u.email, x.rep_id) AS rep_name, u.email AS rep_email,
                  u.manager_id, m.name AS manager_name, x.week_start,
                  CAST(EXTRACT(ISOYEAR FROM x.week_start) AS INTEGER) AS iso_year,
                  CAST(EXTRACT(WEEK FROM x.week_start) AS INTEGER) AS iso_week,
                  x.skill, x.scorecards, x.scored_scorecards, x.avg_total_score, x.answers, x.avg_score
                FROM x
                LEFT JOIN %3$s u ON u.user_id = x.rep_id
                LEFT JOIN %3$s m ON m.user_id = u.manager_id""".formatted(view(src, SCORECARDS), questionScores(src), users(src));
    }

    private static String view(Sources src, String name) {
        return src.qualified(name);
    }

    // ---- normalised access to source tables ----

    /**
     * A column a view reads, as {@code type}: the table's {@code source} column (through {@code template}) when it
     * exists and holds that kind of value; a typed NULL when it does not exist, or when the sync had to widen it to a
     * type the view cannot use (text where a number or time is expected: see {@link Sources#compatible}).
     */
    record Col(String name, String source, String sourceType, String template, String type) {
        String select(Sources src, String table) {
            String actual = src.logicalType(table, source);
            if (actual == null || !Sources.compatible(sourceType, actual)) {
                if (actual != null) {
                    LOG.warn("analytics views read {}.{} as NULL: it holds {} values, not {}", table, source, actual, sourceType);
                }
                return "CAST(NULL AS " + type + ") AS " + name;
            }
            String value = "t." + quote(source);
            if (!Sources.sameKind(sourceType, actual)) {
                value = "CAST(" + value + " AS " + sourceType + ")";
            }
            return template.formatted(value) + " AS " + name;
        }
    }

    static Col col(String name, String source, String type) {
        return new Col(name, source, type, "%s", type);
    }

    /** A value computed from a column of type {@code sourceType}: {@code template} with %s for the column. */
    static Col expr(String name, String source, String sourceType, String template, String type) {
        return new Col(name, source, sourceType, template, type);
    }

    /** What the warehouse has: table → columns, and the logical type the connector recorded for each data column. */
    static final class Sources {
        static final List<String> TABLES = List.of("calls", "call_details", "calls__users", "users",
                "call_details__summary__key_action_items", "call_details__transcript", "scorecards",
                "scorecards__questions_score", "scorecard_templates", "calls__history", "call_details__history");
        private final String schema;
        private final Map<String, List<String>> columns;
        private final Map<String, String> types;

        Sources(String schema, Map<String, List<String>> columns, Map<String, String> types) {
            this.schema = schema;
            this.columns = columns;
            this.types = types;
        }

        static Sources read(QueryPort w) {
            Map<String, List<String>> cols = new HashMap<>();
            for (String t : TABLES) {
                cols.put(t, w.columns(t));
            }
            Map<String, String> types = new HashMap<>();
            if (w.tableExists("_schema_columns")) {
                for (Map<String, Object> row : w.query("SELECT table_name, column_name, column_type FROM " + w.table("_schema_columns"))) {
                    types.put(row.get("table_name") + "." + row.get("column_name"), (String) row.get("column_type"));
                }
            }
            return new Sources(w.schema(), cols, types);
        }

        /**
         * The connector's logical type of a column (BIGINT, DOUBLE, BOOLEAN, TIMESTAMP, VARCHAR, JSON), the view's own
         * type for bookkeeping columns the connector does not record ({@code id}, {@code _parent_id}, ...), or null
         * when the column does not exist.
         */
        String logicalType(String table, String column) {
            if (!has(table, column)) {
                return null;
            }
            return types.getOrDefault(table + "." + column, "*");
        }

        /** Whether a column of logical type {@code actual} can be read as SQL type {@code wanted}. */
        static boolean compatible(String wanted, String actual) {
            if ("*".equals(actual) || VARCHAR.equals(wanted)) {
                return true;
            }
            return switch (wanted) {
                case BIGINT, DOUBLE, INTEGER -> "BIGINT".equals(actual) || "DOUBLE".equals(actual);
                case BOOLEAN -> "BOOLEAN".equals(actual);
                case TIMESTAMP -> "TIMESTAMP".equals(actual);
                default -> false;
            };
        }

        /** Whether no cast is needed. */
        static boolean sameKind(String wanted, String actual) {
            return switch (actual) {
                case "*" -> true;
                case "BIGINT" -> BIGINT.equals(wanted) || INTEGER.equals(wanted);
                case "DOUBLE" -> DOUBLE.equals(wanted);
                case "VARCHAR", "JSON" -> VARCHAR.equals(wanted);
                default -> actual.equals(wanted);
            };
        }

        boolean has(String table) {
            return !columns.getOrDefault(table, List.of()).isEmpty();
        }

        boolean has(String table, String column) {
            return columns.getOrDefault(table, List.of()).contains(column);
        }

        String qualified(String name) {
            return quote(schema) + "." + quote(name);
        }

        /** A sub-select with exactly {@code cols} (typed NULL where missing; no rows if the table is missing). */
        String relation(String table, Col... cols) {
            StringBuilder sql = new StringBuilder("(SELECT ");
            for (int i = 0; i < cols.length; i++) {
                sql.append(i == 0 ? "" : ", ").append(has(table) ? cols[i].select(this, table)
                        : "CAST(NULL AS " + cols[i].type() + ") AS " + cols[i].name());
            }
            if (!has(table)) {
                return sql.append(" WHERE 1 = 0)").toString();
            }
            sql.append(" FROM ").append(qualified(table)).append(" t");
            if (has(table, "_deleted")) {
                sql.append(" WHERE COALESCE(t.").append(quote("_deleted")).append(", FALSE) = FALSE");
            }
            return sql.append(")").toString();
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
