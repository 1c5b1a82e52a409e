-- v_scorecards: One row per scorecard, with rep, scorer and template names, and the scored call's title, time, deal and account.
-- Placeholders (filled by AnalyticsViews through ViewSql): ${question_scores}, ${scorecard_templates}, ${scorecards}, ${users}, ${v_calls}.
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
FROM ${scorecards} s
LEFT JOIN ${v_calls} c ON c.call_id = s.call_id
LEFT JOIN ${users} r ON r.user_id = s.rep_id
LEFT JOIN ${users} sr ON sr.user_id = s.scorer_id
LEFT JOIN ${scorecard_templates} t ON t.template_id = s.template_id
LEFT JOIN (
  SELECT a.scorecard_id, COUNT(*) AS questions, COUNT(a.score) AS answered FROM ${question_scores} a GROUP BY a.scorecard_id
) q ON q.scorecard_id = s.scorecard_id
