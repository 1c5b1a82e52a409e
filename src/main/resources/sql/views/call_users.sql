-- call_users: Fragment, not a view: one row per (call, internal user), the attribution of calls to reps.
-- Placeholders (filled by AnalyticsViews through ViewSql): ${calls__users}.
(SELECT a.call_id, a.user_id, MAX(a.user_email) AS user_email,
    MAX(CASE WHEN a.is_organizer THEN 1 ELSE 0 END) AS is_organizer
  FROM ${calls__users} a WHERE a.user_id IS NOT NULL GROUP BY a.call_id, a.user_id)
