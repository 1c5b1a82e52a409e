package dev.clarisync.sync;

import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.sync.StreamSpec.Availability;
import dev.clarisync.sync.StreamSpec.Cursor;
import dev.clarisync.sync.StreamSpec.Enrichment;
import dev.clarisync.sync.StreamSpec.Paging;
import dev.clarisync.sync.StreamSpec.Parent;
import java.util.List;
import java.util.Set;

/**
 * Every stream the connector syncs, in the order a sync runs them (a child after its parent). Adding a
 * small object is one entry here: {@code users} shows the shape of a full-refresh list (one request, no
 * cursor, removed when no longer listed); {@code calls} an incremental, windowed list; {@code
 * call_details} one request per ready call; {@code scorecards} an incremental, windowed list over a time its
 * records do not carry (the scored call's time: the cursor is the window's end, a record's version its content hash,
 * and {@code clari.scorecards.lookback} re-reads enough to catch late scoring and edits); {@code topics} a list keyed
 * on {@code topic_id}. Users, calls and details every account has; scorecards, templates and topics only an account
 * with the feature ({@link Availability#BY_FEATURE}).
 */
public final class StreamCatalog {
    public static final String USERS = "users";
    public static final String CALLS = "calls";
    public static final String CALL_DETAILS = "call_details";
    public static final String SCORECARDS = "scorecards";
    public static final String SCORECARD_TEMPLATES = "scorecard_templates";
    public static final String TOPICS = "topics";
    /** {@code _sync_state} key of a cursor stream's position. */
    public static final String CURSOR = "cursor";
    /** Statuses whose transcript and summary are ready. */
    public static final Set<String> READY = Set.of("POST_PROCESSING_DONE", "PROCESSED");

    private StreamCatalog() {
    }

    /** The streams, in run order, with the cursor lookback taken from the settings. */
    public static List<StreamSpec> all(ConnectorSettings settings) {
        return List.of(
                new StreamSpec(USERS, "/users", "", "users", "id", null, Paging.NONE, null, Enrichment.NONE),
                new StreamSpec(CALLS, "/calls", "sortTime=asc&includePagination=true", "calls", "id",
                        new Cursor("last_modified_time", "filterModifiedGt", "filterModifiedLt", settings.lookback()),
                        Paging.OFFSET_WINDOWS, null, Enrichment.NONE),
                new StreamSpec(CALL_DETAILS, "/call-details", "", "call", "id", null, Paging.NONE,
                        new Parent(CALLS, "id", "status", READY), Enrichment.TRANSCRIPT_SPEAKERS),
                // coaching and topics are features an account may not have: 403/404 there skips the stream
                new StreamSpec(SCORECARDS, "/scorecard", "", "scorecards", "id",
                        new Cursor(null, "filterTimeGt", "filterTimeLt", settings.scorecardsLookback()),
                        Paging.OFFSET_WINDOWS, null, Enrichment.NONE, Availability.BY_FEATURE),
                new StreamSpec(SCORECARD_TEMPLATES, "/scorecard-template", "", "scoreCardTemplates", "id", null, Paging.NONE,
                        null, Enrichment.NONE, Availability.BY_FEATURE),
                // a full refresh, not windows on filterModifiedGt/Lt: one request either way, and only a full list sees removals
                new StreamSpec(TOPICS, "/v2/topics", "", "topics", "topic_id", null, Paging.NONE, null, Enrichment.NONE,
                        Availability.BY_FEATURE));
    }

    /** The streams of {@code clari.sync.streams}, in catalog order. */
    public static List<StreamSpec> configured(ConnectorSettings settings) {
        return all(settings).stream().filter(s -> settings.streams().contains(s.name())).toList();
    }

    /** The cursor stream whose position the metrics report ({@code clari_cursor_lag_seconds}). */
    public static String cursorStream() {
        return CALLS;
    }
}
