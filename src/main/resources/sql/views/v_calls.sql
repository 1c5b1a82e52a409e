-- v_calls: One row per call (not deleted), with normalised names, UTC date and ISO week, and the details fields.
-- Placeholders (filled by AnalyticsViews through ViewSql): ${call_details}, ${calls}.
SELECT x.*,
  CAST(EXTRACT(ISOYEAR FROM x.week_start) AS INTEGER) AS iso_year,
  CAST(EXTRACT(WEEK FROM x.week_start) AS INTEGER) AS iso_week
FROM (
  SELECT c.call_id, c.call_time,
    DATE '1970-01-01' + c.epoch_day AS call_date,
    DATE '1970-01-01' + (c.epoch_day - ((c.epoch_day % 7 + 10) % 7)) AS week_start,
    c.title, c.status, c.call_type, c.account_name,
    COALESCE(NULLIF(c.deal_id, ''), NULLIF(c.deal_name, '')) AS deal_key,
    c.deal_id, c.deal_name, c.deal_value, c.deal_stage_before_call, d.deal_stage_live, c.deal_close_date,
    c.call_duration_s, c.talk_listen_ratio, c.questions_asked, c.questions_asked_by_reps,
    c.engaging_questions, c.longest_monologue_s, c.speak_duration_s,
    d.summary, c.call_review_page_url,
    CASE WHEN d.call_id IS NULL THEN FALSE ELSE TRUE END AS has_details
  FROM ${calls} c
  LEFT JOIN ${call_details} d ON d.call_id = c.call_id
) x
