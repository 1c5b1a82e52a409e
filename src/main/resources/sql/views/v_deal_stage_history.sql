-- v_deal_stage_history: One row per span of a deal's stage, from the history tables (or the live details when they keep none).
-- Placeholders (filled by HistoryViews through ViewSql): ${calls_history}, ${details_history}.
SELECT x.call_id, x.deal_name, x.deal_key, x.deal_id, x.stage, x.valid_from, x.valid_to, x.source
FROM (
  SELECT h.call_id, h.deal_name, COALESCE(NULLIF(h.deal_id, ''), NULLIF(h.deal_name, '')) AS deal_key, h.deal_id,
    h.stage, h.valid_from, h.valid_to, 'list' AS source
  FROM ${calls_history} h
  UNION ALL
  SELECT d.call_id, d.deal_name, COALESCE(NULLIF(d.deal_id, ''), NULLIF(d.deal_name, '')) AS deal_key, d.deal_id,
    d.stage, d.valid_from, d.valid_to, 'details' AS source
  FROM ${details_history} d
) x
WHERE x.stage IS NOT NULL AND x.deal_key IS NOT NULL
