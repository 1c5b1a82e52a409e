-- v_rep_engagement: Per rep (internal user on the call) and ISO week.
-- Placeholders (filled by AnalyticsViews through ViewSql): ${call_users}, ${users}, ${v_calls}.
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
  FROM ${call_users} a
  JOIN ${v_calls} c ON c.call_id = a.call_id
  GROUP BY a.user_id, c.week_start
) r
LEFT JOIN ${users} u ON u.user_id = r.user_id
LEFT JOIN ${users} m ON m.user_id = u.manager_id
