-- v_transcript_turns: One row per transcript turn.
-- Placeholders (filled by AnalyticsViews through ViewSql): ${transcript}, ${v_calls}.
SELECT t.call_id, c.call_time, c.title, t.turn_idx, t.speaker_name, t.speaker_email, t.speaker_internal,
  t.person_id, t.start_s, t.end_s, t.end_s - t.start_s AS duration_s, t.text
FROM ${transcript} t
JOIN ${v_calls} c ON c.call_id = t.call_id AND c.has_details
