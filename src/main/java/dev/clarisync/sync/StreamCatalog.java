package dev.clarisync.sync;

import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.ops.ConnectorMetrics;
import dev.clarisync.sync.StreamSpec.Cursor;
import dev.clarisync.sync.StreamSpec.Enrichment;
import dev.clarisync.sync.StreamSpec.Parent;
import dev.clarisync.sync.StreamSpec.Reconcile;
import dev.clarisync.sync.StreamSpec.Reporting;
import dev.clarisync.sync.StreamSpec.Responses;
import java.util.List;
import java.util.Set;

/**
 * Every stream the connector syncs, in the order a sync runs them (a child after its parent): the one place a stream is
 * declared ({@link StreamSpec}), and what {@code docs/streams.md} is generated from ({@code StreamsReferenceTest}).
 * Adding a read-only endpoint is one entry here plus a test: {@code users} shows the shape of a full-refresh list (one
 * request, no cursor, removed when no longer listed); {@code calls} an incremental, windowed list with a list
 * reconciliation; {@code call_details} one request per ready call; {@code scorecards} an incremental, windowed list over
 * a time its records do not carry (the scored call's time: the cursor is the window's end, a record's version its
 * content hash, and {@code clari.scorecards.lookback} re-reads enough to catch late scoring and edits); {@code topics} a
 * list keyed on {@code topic_id}. Users, calls and details every account has; scorecards, templates and topics only an
 * account with the feature ({@link Responses#BY_FEATURE}).
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
    /** Statuses of a call whose transcript and summary are ready: the one definition ({@link #DETAILS_PARENT}). */
    public static final Set<String> READY = Set.of("POST_PROCESSING_DONE", "PROCESSED");
    /**
     * {@code call_details}' parent: the ready calls, by id; the backlog keeps a call's title for logs and hands calls out
     * newest {@code time} first.
     */
    public static final Parent DETAILS_PARENT = new Parent(CALLS, "id", "status", READY, "title", "time");
    /** Windowed lists are reconciled over the records' call time, whatever their cursor filters on. */
    private static final Reconcile BY_CALL_TIME = new Reconcile("filterTimeGt", "filterTimeLt");

    private StreamCatalog() {
    }

    /** The streams, in run order, with the cursor lookback taken from the settings. */
    public static List<StreamSpec> all(ConnectorSettings settings) {
        return List.of(
                StreamSpec.list(USERS, "/users", "users").reporting(Reporting.PRIMED).build(),
                StreamSpec.list(CALLS, "/calls", "calls").query("sortTime=asc&includePagination=true")
                        .windows(new Cursor("last_modified_time", "filterModifiedGt", "filterModifiedLt", settings.lookback()))
                        .reconcile(BY_CALL_TIME).reporting(Reporting.HEADLINE).build(),
                StreamSpec.perParent(CALL_DETAILS, "/call-details", "call", DETAILS_PARENT)
                        .enrichment(Enrichment.TRANSCRIPT_SPEAKERS).responses(Responses.PER_PARENT_RECORD).reporting(Reporting.PRIMED)
                        .build(),
                // coaching and topics are features an account may not have: 403/404 there skips the stream
                StreamSpec.list(SCORECARDS, "/scorecard", "scorecards")
                        .windows(new Cursor(null, "filterTimeGt", "filterTimeLt", settings.scorecardsLookback()))
                        .reconcile(BY_CALL_TIME).responses(Responses.BY_FEATURE).build(),
                StreamSpec.list(SCORECARD_TEMPLATES, "/scorecard-template", "scoreCardTemplates").responses(Responses.BY_FEATURE).build(),
                // a full refresh, not windows on filterModifiedGt/Lt: one request either way, and only a full list sees removals
                StreamSpec.list(TOPICS, "/v2/topics", "topics").key("topic_id").responses(Responses.BY_FEATURE).build());
    }

    /** The streams of {@code clari.sync.streams}, in catalog order. */
    public static List<StreamSpec> configured(ConnectorSettings settings) {
        return all(settings).stream().filter(s -> settings.streams().contains(s.name())).toList();
    }

    /**
     * The headline stream among {@code specs} ({@link Reporting#HEADLINE}): the cursor the metrics report ({@code
     * clari_cursor_lag_seconds}), the records the summary counts. Null when there is none.
     */
    public static StreamSpec headline(List<StreamSpec> specs) {
        return specs.stream().filter(s -> s.reporting() == Reporting.HEADLINE).findFirst().orElse(null);
    }

    /**
     * Puts the tables' rows and the endpoints' requests of the primed streams among {@code specs} ({@link
     * Reporting#PRIMED}, {@link Reporting#HEADLINE}) in the metrics' first scrape, at 0.
     */
    public static void primeMetrics(ConnectorMetrics metrics, List<StreamSpec> specs) {
        List<StreamSpec> primed = specs.stream().filter(s -> s.reporting() != Reporting.ON_USE).toList();
        metrics.primeStreams(primed.stream().map(StreamSpec::name).toList(), primed.stream().map(StreamSpec::path).toList());
    }
}
