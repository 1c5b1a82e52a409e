-- v_action_items: One row per key action item of a call summary.
-- Placeholders (filled by AnalyticsViews through ViewSql): ${action_items}, ${v_calls}.
SELECT i.call_id, c.call_time, c.week_start, c.title, i.item_idx, i.action_item, i.owner_name,
  i.speaker_name, i.timeline, i.reasoning, i.start_timestamp, i.end_timestamp,
  c.deal_key, c.deal_id, c.deal_name, c.deal_stage_live, c.account_name
FROM ${action_items} i
JOIN ${v_calls} c ON c.call_id = i.call_id AND c.has_details
