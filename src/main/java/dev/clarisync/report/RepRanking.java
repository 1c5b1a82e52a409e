package dev.clarisync.report;

import dev.clarisync.warehouse.QueryPort;
import java.util.List;
import java.util.Map;

/**
 * Reps by talk/listen ratio: the first question revenue teams ask, and what the {@code demo} command prints. Read
 * from {@code v_rep_engagement}, the view the dashboard's "Talk/listen ratio by rep" and "Questions per call by rep"
 * are drawn from, so both show the same figures: every recorded call the rep was on (organiser or not), each call
 * weighted once. The SQL stays here, with the views (SQL only in {@code warehouse/} and {@code report/}).
 */
public final class RepRanking {

    private RepRanking() {
    }

    /**
     * The top {@code limit} reps with calls that have metrics, highest ratio first: {@code name}, {@code calls},
     * {@code tlr} (talk/listen ratio) and {@code q} (questions asked by the internal side per call; may be null).
     */
    public static List<Map<String, Object>> byTalkListenRatio(QueryPort warehouse, int limit) {
        return warehouse.query("SELECT user_id, MAX(rep_name) AS name, SUM(calls_with_metrics) AS calls, "
                + "SUM(avg_talk_listen_ratio * calls_with_metrics) / SUM(calls_with_metrics) AS tlr, "
                + "CAST(SUM(questions_asked_by_reps) AS DOUBLE PRECISION) / SUM(calls_with_metrics) AS q "
                + "FROM " + warehouse.table(AnalyticsViews.REP_ENGAGEMENT) + " GROUP BY user_id HAVING SUM(calls_with_metrics) > 0 "
                + "ORDER BY tlr DESC, user_id LIMIT " + limit);
    }
}
