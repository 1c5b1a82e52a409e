-- v_deal_progression: One row per call of a deal, in time order, with stage before the call, live stage, first and current stage.
-- Placeholders (filled by AnalyticsViews through ViewSql): ${v_calls}.
SELECT p.*,
  CASE WHEN p.current_stage IS NULL THEN NULL
       WHEN LOWER(p.current_stage) LIKE 'closed%' THEN FALSE ELSE TRUE END AS is_open
FROM (
  SELECT c.deal_key, c.deal_id, COALESCE(c.deal_name, c.deal_id) AS deal_name, c.account_name,
    c.call_id, c.call_time, c.week_start, c.title,
    ROW_NUMBER() OVER (PARTITION BY c.deal_key ORDER BY c.call_time NULLS LAST, c.call_id) AS call_seq,
    COUNT(*) OVER (PARTITION BY c.deal_key) AS deal_calls,
    c.deal_stage_before_call AS stage_before_call,
    c.deal_stage_live AS stage_live,
    LAG(c.deal_stage_before_call) OVER (PARTITION BY c.deal_key ORDER BY c.call_time NULLS LAST, c.call_id)
      AS previous_call_stage,
    FIRST_VALUE(c.deal_stage_before_call) OVER (PARTITION BY c.deal_key
      ORDER BY CASE WHEN c.deal_stage_before_call IS NULL THEN 1 ELSE 0 END, c.call_time NULLS LAST, c.call_id
      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS first_stage,
    FIRST_VALUE(COALESCE(c.deal_stage_live, c.deal_stage_before_call)) OVER (PARTITION BY c.deal_key
      ORDER BY CASE WHEN COALESCE(c.deal_stage_live, c.deal_stage_before_call) IS NULL THEN 1 ELSE 0 END,
        c.call_time DESC NULLS LAST, c.call_id DESC
      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS current_stage,
    c.deal_close_date, c.deal_value, c.summary
  FROM ${v_calls} c
  WHERE c.deal_key IS NOT NULL
) p
