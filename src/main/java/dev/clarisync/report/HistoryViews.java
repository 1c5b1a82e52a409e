package dev.clarisync.report;

import static dev.clarisync.report.AnalyticsViews.col;

import dev.clarisync.report.AnalyticsViews.Sources;

/**
 * The views over the history tables ({@code clari.history.streams}), in the same portable SQL as
 * {@link AnalyticsViews} and created with them.
 * <ul>
 *   <li>{@value #DEAL_STAGE_HISTORY}: one row per observed span of a deal's stage: from each version of a call's list
 *       record ({@code deal_stage_before_call}, source {@code list}) and of its details ({@code deal_stage_live}, source
 *       {@code details}). Without {@code call_details__history} (history of calls only, the default) the current
 *       details row stands for one observation from its {@code _synced_at}.</li>
 *   <li>{@value #DEAL_STAGE_MOVEMENT}: per ISO week and stage, the deals that entered the stage that week: a deal enters
 *       a stage at its first observation with that stage after an observation with another stage (or at its first
 *       observation). A terminal stage (Closed Won, Closed Lost: any stage starting with "closed") ends the deal's
 *       path: observations after its first terminal entry are not movements (an older call's list record still shows
 *       the stage it had then), so a deal is counted closed once and never "reopened" by stale records.</li>
 * </ul>
 */
final class HistoryViews {
    static final String DEAL_STAGE_HISTORY = "v_deal_stage_history";
    static final String DEAL_STAGE_MOVEMENT = "v_deal_stage_movement";
    private static final String VARCHAR = "VARCHAR";
    private static final String TIMESTAMP = "TIMESTAMP";

    private HistoryViews() {
    }

    static String dealStageHistory(Sources src) {
        String calls = src.relation("calls__history",
                col("call_id", "id", VARCHAR),
                col("deal_id", "crm_info__deal_id", VARCHAR),
                col("deal_name", "deal_name", VARCHAR),
                col("stage", "deal_stage_before_call", VARCHAR),
                col("valid_from", "_valid_from", TIMESTAMP),
                col("valid_to", "_valid_to", TIMESTAMP));
        String details = src.has("call_details__history")
                ? src.relation("call_details__history",
                        col("call_id", "id", VARCHAR),
                        col("deal_id", "crm_info__deal_id", VARCHAR),
                        col("deal_name", "deal_name", VARCHAR),
                        col("stage", "deal_stage_live", VARCHAR),
                        col("valid_from", "_valid_from", TIMESTAMP),
                        col("valid_to", "_valid_to", TIMESTAMP))
                : src.relation("call_details",
                        col("call_id", "id", VARCHAR),
                        col("deal_id", "crm_info__deal_id", VARCHAR),
                        col("deal_name", "deal_name", VARCHAR),
                        col("stage", "deal_stage_live", VARCHAR),
                        col("valid_from", "_synced_at", TIMESTAMP),
                        AnalyticsViews.expr("valid_to", "_synced_at", TIMESTAMP, "CAST(NULL AS TIMESTAMP)", TIMESTAMP));
        return """
                SELECT x.call_id, x.deal_name, x.deal_key, x.deal_id, x.stage, x.valid_from, x.valid_to, x.source
                FROM (
                  SELECT h.call_id, h.deal_name, COALESCE(NULLIF(h.deal_id, ''), NULLIF(h.deal_name, '')) AS deal_key, h.deal_id,
                    h.stage, h.valid_from, h.valid_to, 'list' AS source
                  FROM %s h
                  UNION ALL
                  SELECT d.call_id, d.deal_name, COALESCE(NULLIF(d.deal_id, ''), NULLIF(d.deal_name, '')) AS deal_key, d.deal_id,
                    d.stage, d.valid_from, d.valid_to, 'details' AS source
                  FROM %s d
                ) x
                WHERE x.stage IS NOT NULL AND x.deal_key IS NOT NULL""".formatted(calls, details);
    }

    static String dealStageMovement(Sources src) {
        return """
                WITH obs AS (
                  SELECT h.deal_key, MAX(h.deal_name) AS deal_name, h.stage, h.valid_from,
                    CASE WHEN LOWER(h.stage) LIKE 'closed%%' THEN 1 ELSE 0 END AS terminal
                  FROM %1$s h
                  GROUP BY h.deal_key, h.stage, h.valid_from
                ),
                ordered AS (
                  SELECT o.*,
                    LAG(o.stage) OVER (PARTITION BY o.deal_key ORDER BY o.valid_from, o.terminal, o.stage) AS previous_stage,
                    MIN(CASE WHEN o.terminal = 1 THEN o.valid_from END) OVER (PARTITION BY o.deal_key) AS closed_at
                  FROM obs o
                ),
                entries AS (
                  SELECT d.deal_key, d.deal_name, d.stage, d.previous_stage, d.terminal, d.valid_from AS entered_at,
                    CAST(FLOOR(EXTRACT(EPOCH FROM d.valid_from) / 86400) AS INTEGER) AS epoch_day
                  FROM ordered d
                  WHERE (d.previous_stage IS NULL OR d.previous_stage <> d.stage)
                    AND (d.closed_at IS NULL OR d.valid_from <= d.closed_at)
                )
                SELECT DATE '1970-01-01' + (e.epoch_day - ((e.epoch_day %% 7 + 10) %% 7)) AS week_start, e.stage,
                  CASE WHEN e.terminal = 1 THEN TRUE ELSE FALSE END AS is_terminal,
                  COUNT(DISTINCT e.deal_key) AS deals_entered,
                  COUNT(DISTINCT CASE WHEN e.previous_stage IS NOT NULL THEN e.deal_key END) AS deals_moved_in
                FROM entries e
                GROUP BY 1, 2, 3""".formatted(src.qualified(DEAL_STAGE_HISTORY));
    }
}
