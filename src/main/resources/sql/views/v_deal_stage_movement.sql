-- v_deal_stage_movement: Per ISO week and stage: deals entering the stage, terminal stages counted once.
-- Placeholders (filled by HistoryViews through ViewSql): ${v_deal_stage_history}.
WITH obs AS (
  SELECT h.deal_key, MAX(h.deal_name) AS deal_name, h.stage, h.valid_from,
    CASE WHEN LOWER(h.stage) LIKE 'closed%' THEN 1 ELSE 0 END AS terminal
  FROM ${v_deal_stage_history} h
  GROUP BY h.deal_key, h.stage, h.valid_from
),
ordered AS (
  SELECT o.*,
    LAG(o.stage) OVER (PARTITION BY o.deal_key ORDER BY o.valid_from, o.terminal, o.stage) AS previous_stage,
    MIN(CASE WHEN o.terminal = 1 THEN o.valid_from END) OVER (PARTITION BY o.deal_key) AS closed_at
  FROM obs o
),
entries AS (
  SELECT d.deal_key, d.deal_name, d.stage, d.previous_stage, d.terminal, d.valid_from AS entered_at,
    CAST(FLOOR(EXTRACT(EPOCH FROM d.valid_from) / 86400) AS INTEGER) AS epoch_day
  FROM ordered d
  WHERE (d.previous_stage IS NULL OR d.previous_stage <> d.stage)
    AND (d.closed_at IS NULL OR d.valid_from <= d.closed_at)
)
SELECT DATE '1970-01-01' + (e.epoch_day - ((e.epoch_day % 7 + 10) % 7)) AS week_start, e.stage,
  CASE WHEN e.terminal = 1 THEN TRUE ELSE FALSE END AS is_terminal,
  COUNT(DISTINCT e.deal_key) AS deals_entered,
  COUNT(DISTINCT CASE WHEN e.previous_stage IS NOT NULL THEN e.deal_key END) AS deals_moved_in
FROM entries e
GROUP BY 1, 2, 3
