-- v_rep_coaching: Per rep and ISO week of the scored call: one row with skill NULL for all scorecards, one per skill scored.
-- Placeholders (filled by AnalyticsViews through ViewSql): ${question_scores}, ${users}, ${v_scorecards}.
WITH s AS (SELECT v.scorecard_id, v.rep_id, v.week_start, v.total_score FROM ${v_scorecards} v),
q AS (SELECT a.scorecard_id, COALESCE(a.skill, '(no skill)') AS skill, a.score FROM ${question_scores} a),
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
LEFT JOIN ${users} u ON u.user_id = x.rep_id
LEFT JOIN ${users} m ON m.user_id = u.manager_id
