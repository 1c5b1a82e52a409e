-- The example queries of docs/warehouse.md ("Analytics views and the dashboard"); ReportExamplesTest runs each of them
-- on DuckDB and on PostgreSQL. Keep the two in step.

-- Reps by talk/listen ratio over the last 12 weeks (weighted by recorded calls)
SELECT rep_name, SUM(calls) AS calls,
       SUM(avg_talk_listen_ratio * calls_with_metrics) / NULLIF(SUM(calls_with_metrics), 0) AS talk_listen_ratio,
       SUM(questions_asked_by_reps) * 1.0 / NULLIF(SUM(calls_with_metrics), 0) AS questions_per_call
FROM v_rep_engagement
WHERE week_start >= CURRENT_DATE - 84
GROUP BY rep_name
ORDER BY talk_listen_ratio DESC;

-- Team trend: calls and talk/listen ratio per manager and week
SELECT manager_name, week_start, calls, active_members, avg_talk_listen_ratio
FROM v_team_engagement
ORDER BY manager_name, week_start;

-- One deal's story, call by call
SELECT call_seq, call_time, title, stage_before_call, stage_live, current_stage, summary
FROM v_deal_progression
WHERE deal_name = 'Initech - Platform Expansion'
ORDER BY call_seq;

-- Open deals that have not moved since their first call
SELECT DISTINCT deal_name, account_name, first_stage, current_stage, deal_calls
FROM v_deal_progression
WHERE is_open AND first_stage = current_stage
ORDER BY deal_calls DESC, deal_name;

-- The latest action items with their owner, deal and account
SELECT call_time, owner_name, action_item, timeline, deal_name, account_name
FROM v_action_items
ORDER BY call_time DESC, call_id, item_idx
LIMIT 50;

-- Accounts with open deals, by activity
SELECT account_name, calls, reps_involved, avg_talk_listen_ratio, last_call, open_deals
FROM v_account_performance
WHERE open_deals > 0
ORDER BY last_call DESC;

-- Who talks most in transcripts: internal vs external speaking time per call
SELECT call_id, title,
       SUM(CASE WHEN speaker_internal THEN duration_s ELSE 0 END) AS internal_s,
       SUM(CASE WHEN speaker_internal THEN 0 ELSE duration_s END) AS external_s
FROM v_transcript_turns
GROUP BY call_id, title
ORDER BY internal_s DESC
LIMIT 20;

-- Coaching: each rep's average scorecard total and answers over the last 12 weeks
SELECT rep_name, SUM(scorecards) AS scorecards,
       SUM(avg_total_score * scored_scorecards) / NULLIF(SUM(scored_scorecards), 0) AS avg_total_score
FROM v_rep_coaching
WHERE skill IS NULL AND week_start >= CURRENT_DATE - 84
GROUP BY rep_name
ORDER BY avg_total_score DESC;

-- Coaching: the weakest skills per rep (every week, weighted by answers)
SELECT rep_name, skill, SUM(answers) AS answers,
       SUM(avg_score * answers) / NULLIF(SUM(answers), 0) AS avg_score
FROM v_rep_coaching
WHERE skill IS NOT NULL
GROUP BY rep_name, skill
ORDER BY avg_score, rep_name, skill;

-- The latest scorecards with their call, template and remark
SELECT call_time, rep_name, scorer_name, template_name, total_score, title, deal_name, account_name, remark
FROM v_scorecards
ORDER BY call_time DESC NULLS LAST, scorecard_id
LIMIT 50;
