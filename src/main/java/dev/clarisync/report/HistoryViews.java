package dev.clarisync.report;

import static dev.clarisync.report.ViewSources.TIMESTAMP;
import static dev.clarisync.report.ViewSources.VARCHAR;
import static dev.clarisync.report.ViewSources.col;

import java.util.Map;

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

    private HistoryViews() {
    }

    static String dealStageHistory(ViewSources src) {
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
                        ViewSources.expr("valid_to", "_synced_at", TIMESTAMP, "CAST(NULL AS TIMESTAMP)", TIMESTAMP));
        return ViewSql.load(DEAL_STAGE_HISTORY, Map.of("calls_history", calls, "details_history", details));
    }

    static String dealStageMovement(ViewSources src) {
        return ViewSql.load(DEAL_STAGE_MOVEMENT, Map.of("v_deal_stage_history", src.qualified(DEAL_STAGE_HISTORY)));
    }
}
