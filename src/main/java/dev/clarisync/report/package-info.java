/**
 * The insight layer: analytics views in the warehouse and the offline HTML dashboard.
 *
 * <h2>Views</h2>
 * {@link dev.clarisync.report.AnalyticsViews#ensure} creates them (same SQL on DuckDB and PostgreSQL) in the
 * warehouse's schema; re-run it after every sync. Weeks are ISO weeks in UTC, {@code week_start} is their Monday.
 * <ul>
 *   <li>{@code v_calls}: one row per call, normalised: call_id, call_time, call_date, week_start, iso_year, iso_week,
 *       title, status, call_type, account_name, deal_key (CRM deal id, else deal name), deal_id, deal_name, deal_value,
 *       deal_stage_before_call, deal_stage_live, deal_close_date, call_duration_s, talk_listen_ratio, questions_asked,
 *       questions_asked_by_reps, engaging_questions, longest_monologue_s, speak_duration_s, summary,
 *       call_review_page_url, has_details.</li>
 *   <li>{@code v_rep_engagement}: per rep (internal user on the call, from {@code calls__users}) and week.</li>
 *   <li>{@code v_team_engagement}: per manager and week; a team is the manager and everyone below them in the
 *       {@code users.manager_id} tree; a call counts once per team however many members were on it.</li>
 *   <li>{@code v_deal_progression}: one row per call of a deal, with call_seq, stage before the call, live stage,
 *       first and current stage, is_open.</li>
 *   <li>{@code v_action_items}, {@code v_transcript_turns}: one row per action item / transcript turn with its call.</li>
 *   <li>{@code v_account_performance}: per account.</li>
 * </ul>
 * Call-level metrics (talk/listen ratio, questions by reps, ...) are Clari's figures for the whole call: a call with
 * two reps counts for both of them.
 *
 * <h2>Example queries</h2>
 * <pre>{@code
 * -- Reps by talk/listen ratio over the last 12 weeks (weighted by recorded calls)
 * SELECT rep_name, SUM(calls) AS calls,
 *        SUM(avg_talk_listen_ratio * calls_with_metrics) / NULLIF(SUM(calls_with_metrics), 0) AS talk_listen_ratio
 * FROM v_rep_engagement WHERE week_start >= CURRENT_DATE - 84
 * GROUP BY rep_name ORDER BY talk_listen_ratio DESC;
 *
 * -- One deal's story, call by call
 * SELECT call_seq, call_time, title, stage_before_call, stage_live, current_stage, summary
 * FROM v_deal_progression WHERE deal_name = 'Initech - Platform Expansion' ORDER BY call_seq;
 *
 * -- The latest action items with their owner, deal and account
 * SELECT call_time, owner_name, action_item, timeline, deal_name, account_name
 * FROM v_action_items ORDER BY call_time DESC, call_id, item_idx LIMIT 50;
 * }</pre>
 * More in {@code src/test/resources/dev/clarisync/report/readme-examples.sql} (run by the tests on both databases).
 *
 * <h2>Dashboard</h2>
 * {@link dev.clarisync.report.ReportCommand} writes one HTML file: plain JavaScript draws inline SVG from aggregates
 * embedded as JSON; a Content-Security-Policy forbids any network request, so it opens offline.
 */
package dev.clarisync.report;
