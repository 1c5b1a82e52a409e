-- v_account_performance: Per account.
-- Placeholders (filled by AnalyticsViews through ViewSql): ${call_users}, ${v_calls}, ${v_deal_progression}.
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
  FROM ${v_calls} c WHERE c.account_name IS NOT NULL
  GROUP BY c.account_name
) a
LEFT JOIN (
  SELECT c.account_name, COUNT(DISTINCT u.user_id) AS reps_involved
  FROM ${v_calls} c JOIN ${call_users} u ON u.call_id = c.call_id
  WHERE c.account_name IS NOT NULL
  GROUP BY c.account_name
) r ON r.account_name = a.account_name
LEFT JOIN (
  SELECT p.account_name, COUNT(DISTINCT p.deal_key) AS deals,
    COUNT(DISTINCT CASE WHEN p.is_open THEN p.deal_key END) AS open_deals
  FROM ${v_deal_progression} p WHERE p.account_name IS NOT NULL
  GROUP BY p.account_name
) d ON d.account_name = a.account_name
