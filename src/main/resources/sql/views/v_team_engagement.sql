-- v_team_engagement: Per manager (team = the manager and everyone below them in the manager_id tree) and ISO week.
-- Placeholders (filled by AnalyticsViews through ViewSql): ${call_users}, ${max_tree_depth}, ${users}, ${v_calls}.
WITH RECURSIVE tree (manager_id, member_id, depth) AS (
  SELECT u.user_id, u.user_id, 0 FROM ${users} u
  UNION ALL
  SELECT t.manager_id, u.user_id, t.depth + 1
  FROM tree t JOIN ${users} u ON u.manager_id = t.member_id
  WHERE t.depth < ${max_tree_depth}
),
members AS (SELECT DISTINCT manager_id, member_id FROM tree),
teams AS (SELECT manager_id, COUNT(*) AS team_size FROM members GROUP BY manager_id HAVING COUNT(*) > 1),
member_calls AS (
  SELECT DISTINCT mb.manager_id, a.user_id, a.call_id
  FROM members mb JOIN teams tm ON tm.manager_id = mb.manager_id
  JOIN ${call_users} a ON a.user_id = mb.member_id
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
  FROM team_calls tc JOIN ${v_calls} c ON c.call_id = tc.call_id
  GROUP BY tc.manager_id, c.week_start
),
active AS (
  SELECT mc.manager_id, c.week_start, COUNT(DISTINCT mc.user_id) AS active_members
  FROM member_calls mc JOIN ${v_calls} c ON c.call_id = mc.call_id
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
LEFT JOIN ${users} mu ON mu.user_id = p.manager_id
