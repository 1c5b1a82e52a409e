package dev.clarisync.report;

import static dev.clarisync.report.ViewSources.BIGINT;
import static dev.clarisync.report.ViewSources.BOOLEAN;
import static dev.clarisync.report.ViewSources.DOUBLE;
import static dev.clarisync.report.ViewSources.INTEGER;
import static dev.clarisync.report.ViewSources.TIMESTAMP;
import static dev.clarisync.report.ViewSources.VARCHAR;
import static dev.clarisync.report.ViewSources.col;
import static dev.clarisync.report.ViewSources.expr;

import dev.clarisync.warehouse.QueryPort;
import dev.clarisync.warehouse.Warehouse;
import dev.clarisync.warehouse.WarehouseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 * <p><b>Where the SQL is.</b> Each view's body is a resource, {@code src/main/resources/sql/views/<view>.sql}, with
 * named placeholders ({@code ${v_calls}}, {@code ${users}}, ...) that {@link ViewSql} fills in: the other views they
 * read, schema-qualified, and the normalising sub-selects built here from what the warehouse has
 * ({@link ViewSources#relation}).
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
        return definitions(ViewSources.read(w));
    }

    static Map<String, String> definitions(ViewSources src) {
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

    private static String calls(ViewSources src) {
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
        return ViewSql.load(CALLS, Map.of("calls", calls, "call_details", details));
    }

    /** One row per (call, internal user): the attribution of calls to reps. */
    private static String callUsers(ViewSources src) {
        String cu = src.relation("calls__users",
                col("call_id", "_parent_id", VARCHAR),
                col("user_id", "user_id", VARCHAR),
                col("user_email", "user_email", VARCHAR),
                col("is_organizer", "is_organizer", BOOLEAN));
        return ViewSql.load("call_users", Map.of("calls__users", cu));
    }

    private static String users(ViewSources src) {
        return src.relation("users",
                col("user_id", "id", VARCHAR),
                col("email", "email", VARCHAR),
                col("name", "name", VARCHAR),
                col("role", "role", VARCHAR),
                col("manager_id", "manager_id", VARCHAR));
    }

    private static String repEngagement(ViewSources src) {
        return ViewSql.load(REP_ENGAGEMENT, Map.of("call_users", callUsers(src), "v_calls", view(src, CALLS), "users", users(src)));
    }

    private static String teamEngagement(ViewSources src) {
        return ViewSql.load(TEAM_ENGAGEMENT, Map.of("users", users(src), "max_tree_depth", MAX_TREE_DEPTH, "call_users", callUsers(src),
                "v_calls", view(src, CALLS)));
    }

    private static String dealProgression(ViewSources src) {
        return ViewSql.load(DEAL_PROGRESSION, Map.of("v_calls", view(src, CALLS)));
    }

    private static String actionItems(ViewSources src) {
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
        return ViewSql.load(ACTION_ITEMS, Map.of("action_items", items, "v_calls", view(src, CALLS)));
    }

    private static String accountPerformance(ViewSources src) {
        return ViewSql.load(ACCOUNT_PERFORMANCE, Map.of("v_calls", view(src, CALLS), "call_users", callUsers(src),
                "v_deal_progression", view(src, DEAL_PROGRESSION)));
    }

    private static String transcriptTurns(ViewSources src) {
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
        return ViewSql.load(TRANSCRIPT_TURNS, Map.of("transcript", turns, "v_calls", view(src, CALLS)));
    }

    /** The answers of every scorecard: one row per question, score NULL when it was not answered. */
    private static String questionScores(ViewSources src) {
        return src.relation("scorecards__questions_score",
                col("scorecard_id", "_parent_id", VARCHAR),
                col("question_idx", "_idx", BIGINT),
                col("skill", "skill", VARCHAR),
                col("label", "label", VARCHAR),
                col("score", "score", DOUBLE));
    }

    private static String scorecards(ViewSources src) {
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
        return ViewSql.load(SCORECARDS, Map.of("scorecards", scorecards, "v_calls", view(src, CALLS), "users", users(src),
                "scorecard_templates", templates, "question_scores", questionScores(src)));
    }

    private static String repCoaching(ViewSources src) {
        return ViewSql.load(REP_COACHING, Map.of("v_scorecards", view(src, SCORECARDS), "question_scores", questionScores(src),
                "users", users(src)));
    }

    private static String view(ViewSources src, String name) {
        return src.qualified(name);
    }

    /** A quoted identifier, as the views write table names ({@link ViewSources#quote}). */
    static String quote(String identifier) {
        return ViewSources.quote(identifier);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
