package dev.clarisync.sync;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One stream, declared: the whole truth about it. What to ask Clari, where the records are, how a record is identified
 * and versioned, how far a run reads, how pages are walked, what each non-page answer means, whether and how the list is
 * reconciled, (for a child stream) which parent records it is fetched for and what its backlog keeps of them, and what
 * the metrics and the run summary report of it. The engine ({@link ListStream} for list endpoints, {@link PerParentStream}
 * for one request per parent record) runs any spec; {@link StreamCatalog} declares the connector's streams, and
 * {@code docs/streams.md} is generated from it.
 *
 * @param name        stream name: root table, {@code _processed} scope, {@code _sync_state} key and
 *                    {@code clari.sync.streams} entry
 * @param path        endpoint path, e.g. {@code /calls}
 * @param fixedQuery  parameters sent with every request, already URL-encoded ({@code ""} for none)
 * @param selector    the JSON field of the answer holding the records (an array for list streams, one
 *                    object for a per-parent stream)
 * @param primaryKey  the record field that identifies it (a non-empty string). The connector's root tables,
 *                    {@code _processed} and removals always key on a column {@code id}: a record whose key
 *                    field is another one (topics: {@code topic_id}) is stored with {@code id} = that value,
 *                    and keeps its own field as a data column too
 * @param cursor      incremental reading, or null for a full refresh (read everything, remove what is
 *                    no longer listed, version = content hash)
 * @param paging      how requests are walked
 * @param parent      for a per-parent stream: the parent stream and which of its records are fetched;
 *                    null for a list stream
 * @param enrichment  connector-added fields
 * @param responses   what a 404, a 403 and an unreadable answer from this stream's endpoint mean (null: {@link
 *                    Responses#EVERY_ACCOUNT} for a list stream, {@link Responses#PER_PARENT_RECORD} for a per-parent one)
 * @param reconcile   the list reconciliation of a windowed stream, or null for none
 * @param reporting   what the metrics and the run summary report of it (null: {@link Reporting#ON_USE})
 */
public record StreamSpec(String name, String path, String fixedQuery, String selector, String primaryKey,
                         Cursor cursor, Paging paging, Parent parent, Enrichment enrichment, Responses responses,
                         Reconcile reconcile, Reporting reporting) {

    /** A stream with the default responses, no reconciliation and nothing reported up front. */
    public StreamSpec(String name, String path, String fixedQuery, String selector, String primaryKey, Cursor cursor, Paging paging,
                      Parent parent, Enrichment enrichment) {
        this(name, path, fixedQuery, selector, primaryKey, cursor, paging, parent, enrichment, null, null, null);
    }

    public StreamSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(path);
        Objects.requireNonNull(primaryKey);
        fixedQuery = fixedQuery == null ? "" : fixedQuery;
        paging = paging == null ? Paging.NONE : paging;
        if (paging == Paging.OFFSET_WINDOWS && cursor == null) {
            throw new IllegalArgumentException(name + ": offset windows are cut over the cursor field: declare a cursor");
        }
        if (parent != null && (cursor != null || paging != Paging.NONE)) {
            throw new IllegalArgumentException(name + ": a per-parent stream has no cursor or paging of its own");
        }
        if (enrichment == null) {
            enrichment = Enrichment.NONE;
        }
        if (responses == null) {
            responses = parent == null ? Responses.EVERY_ACCOUNT : Responses.PER_PARENT_RECORD;
        }
        if (parent != null && responses.notFound() == OnNotFound.STREAM_UNAVAILABLE) {
            throw new IllegalArgumentException(name + ": a per-parent stream's 404 means a deleted parent, not a missing feature");
        }
        if (parent != null && responses.forbidden() == OnForbidden.STREAM_UNAVAILABLE) {
            throw new IllegalArgumentException(name + ": a per-parent stream cannot be skipped part-way; its 403 means rejected credentials");
        }
        if (parent == null && (responses.notFound() == OnNotFound.RECORD_DELETED || responses.unreadable() == OnUnreadable.SET_ASIDE)) {
            throw new IllegalArgumentException(name + ": only a per-parent stream asks for one record: a list's 404 cannot mean"
                    + " a deleted record, nor can a page be set aside");
        }
        if (reconcile != null && paging != Paging.OFFSET_WINDOWS) {
            throw new IllegalArgumentException(name + ": a list reconciliation re-reads offset windows: declare OFFSET_WINDOWS paging");
        }
        if (reporting == null) {
            reporting = Reporting.ON_USE;
        }
        if (reporting == Reporting.HEADLINE && cursor == null) {
            throw new IllegalArgumentException(name + ": the headline stream's cursor is clari_cursor_lag: declare a cursor");
        }
    }

    /**
     * What the answers other than a page of records mean for this stream (dlt's {@code response_actions}, Airbyte's
     * {@code error_handler}). Clari answers 403 and 404 for an account without a feature (no coaching: {@code
     * /scorecard}) while every other endpoint accepts the same credentials; the same two statuses on an endpoint every
     * account has mean rejected credentials or a wrong base URL; a 404 to a one-record request means that record is
     * gone. 429, 5xx and timeouts are retried the same way for every stream ({@code RetryPolicy}).
     */
    public record Responses(OnNotFound notFound, OnForbidden forbidden, OnUnreadable unreadable) {
        /** Every account can read it: 404 = a wrong base URL (exit 2), 403 = rejected credentials (exit 3), unreadable = the run fails. */
        public static final Responses EVERY_ACCOUNT = new Responses(OnNotFound.WRONG_BASE_URL, OnForbidden.CREDENTIALS_REJECTED,
                OnUnreadable.FAIL_RUN);
        /** Only accounts with a feature can: 403 or 404 (after accepted credentials) skips the stream. */
        public static final Responses BY_FEATURE = new Responses(OnNotFound.STREAM_UNAVAILABLE, OnForbidden.STREAM_UNAVAILABLE,
                OnUnreadable.FAIL_RUN);
        /** One request per parent record: 404 = the record was deleted, unreadable = that record is set aside. */
        public static final Responses PER_PARENT_RECORD = new Responses(OnNotFound.RECORD_DELETED, OnForbidden.CREDENTIALS_REJECTED,
                OnUnreadable.SET_ASIDE);

        public Responses {
            Objects.requireNonNull(notFound);
            Objects.requireNonNull(forbidden);
            Objects.requireNonNull(unreadable);
        }
    }

    /** What a 404 from the stream's endpoint means. */
    public enum OnNotFound {
        /** A wrong base URL: the run fails (exit 2). */
        WRONG_BASE_URL,
        /**
         * The account lacks the feature, once Clari has accepted the credentials in this run (or in {@code check}'s first
         * request): the stream is skipped with a warning, the others sync, and the next run asks again. Before any
         * accepted answer, a wrong base URL.
         */
        STREAM_UNAVAILABLE,
        /** The parent record asked for was deleted: counted, and its record marked {@code _deleted} (per-parent streams). */
        RECORD_DELETED
    }

    /** What a 403 from the stream's endpoint means. */
    public enum OnForbidden {
        /** The credentials are rejected: the run fails (exit 3). */
        CREDENTIALS_REJECTED,
        /** As {@link OnNotFound#STREAM_UNAVAILABLE}: skipped once the credentials were accepted, rejected credentials before. */
        STREAM_UNAVAILABLE
    }

    /** What an answer that can never be read as it is (not UTF-8, above the size cap, still malformed after retries) means. */
    public enum OnUnreadable {
        /** The run fails: a page cannot be skipped without losing the records after it. */
        FAIL_RUN,
        /** That record is set aside in {@code _rejected_records}, stays owed, and the run goes on (per-parent streams). */
        SET_ASIDE
    }

    /**
     * Whether an answer of {@code status} from this stream's endpoint says the account cannot read it (skip the stream)
     * rather than that the run is misconfigured.
     *
     * @param credentialsAccepted whether Clari already answered a request of this run with these credentials
     */
    public boolean unavailableOn(int status, boolean credentialsAccepted) {
        return credentialsAccepted && (status == 403 && responses.forbidden() == OnForbidden.STREAM_UNAVAILABLE
                || status == 404 && responses.notFound() == OnNotFound.STREAM_UNAVAILABLE);
    }

    /**
     * List reconciliation ({@link ListReconciliation}): at most once per {@code clari.sync.reconcile-every}, after the
     * cursor scan, the list is re-read over the records whose own time is within {@code clari.sync.reconcile-horizon},
     * filtered by these parameters rather than the cursor's (so an edit that moves no cursor field is caught).
     */
    public record Reconcile(String gtParam, String ltParam) {
        public Reconcile {
            Objects.requireNonNull(gtParam);
            Objects.requireNonNull(ltParam);
        }
    }

    /** What the metrics and the run summary report of a stream. */
    public enum Reporting {
        /** Its table's rows and its endpoint's requests appear in the metrics once they happen. */
        ON_USE,
        /** Its table's {@code clari_rows_written} and its endpoint's {@code clari_api_requests} are in the first scrape, at 0. */
        PRIMED,
        /**
         * {@link #PRIMED}, and the headline: {@code clari_calls_seen}/{@code clari_calls_changed}, the run summary and the
         * progress line count its records and show its window, and {@code clari_cursor_lag} is its cursor. One stream.
         */
        HEADLINE
    }

    /** The query of a one-record request to a list stream's endpoint ({@code check}): its fixed parameters, one record. */
    public String probeQuery() {
        String one = paging == Paging.OFFSET_WINDOWS ? "limit=1" : "";
        return fixedQuery.isEmpty() ? one : one.isEmpty() ? fixedQuery : fixedQuery + "&" + one;
    }

    /**
     * Incremental reading in time windows: from the stored cursor minus {@code lookback} up to the run's start. The
     * cursor is always the end of the last completed window.
     *
     * @param field the record field the windows filter on, a record's version for the idempotent consumer (calls:
     *              {@code last_modified_time}); null when the filtered time is one the records do not carry
     *              (scorecards are filtered on the scored call's time): a record's version is then its content hash,
     *              so only a re-read within {@code lookback} sees an edit
     */
    public record Cursor(String field, String gtParam, String ltParam, Duration lookback) {
        public Cursor {
            Objects.requireNonNull(gtParam);
            Objects.requireNonNull(ltParam);
            Objects.requireNonNull(lookback);
        }

        /** Whether the records carry the filtered time (and so their version); false: versioned by content hash. */
        public boolean onRecordField() {
            return field != null;
        }
    }

    /** How a list endpoint is walked. */
    public enum Paging {
        /** One request returns the whole list. */
        NONE,
        /**
         * {@code skip}/{@code limit} paging within cursor windows; a window above the offset cap is halved, one whose
         * match count moves mid-scan is rescanned ({@link dev.clarisync.api.CallsWindowScan}).
         */
        OFFSET_WINDOWS
    }

    /**
     * A per-parent stream: one request per parent record that is ready, owed through the durable details backlog.
     *
     * @param stream     the parent stream whose new or changed records queue a request
     * @param idParam    the query parameter carrying the parent's id
     * @param readyField the parent record's field that says whether the child is ready
     * @param ready      the values of {@code readyField} for which it is
     * @param titleField the parent record's field the backlog keeps to name an entry in logs (null: none)
     * @param orderField the parent record's time field the backlog hands entries out by, newest first (null: untimed,
     *                   after the timed ones). The stored re-queue (full reload, re-checks) reads the parent table's
     *                   columns {@code title} and {@code time} ({@code DetailsBacklogStore}), which {@code calls} declares
     */
    public record Parent(String stream, String idParam, String readyField, Set<String> ready, String titleField, String orderField) {
        public Parent {
            Objects.requireNonNull(stream);
            Objects.requireNonNull(idParam);
            Objects.requireNonNull(readyField);
            ready = Set.copyOf(ready);
        }

        /** A parent whose backlog keeps no title, its entries untimed. */
        public Parent(String stream, String idParam, String readyField, Set<String> ready) {
            this(stream, idParam, readyField, ready, null, null);
        }

        /** Whether a parent record is ready for its child (its {@code readyField} holds one of the {@code ready} values). */
        public boolean isReady(com.fasterxml.jackson.databind.JsonNode record) {
            com.fasterxml.jackson.databind.JsonNode flag = record.get(readyField);
            return flag != null && ready.contains(flag.asText());
        }
    }

    /** Connector-added fields a record gets before it is written. */
    public enum Enrichment {
        NONE,
        /** Transcript turns get speaker_name, speaker_email and speaker_internal ({@link SpeakerResolver}). */
        TRANSCRIPT_SPEAKERS
    }

    public boolean fullRefresh() {
        return cursor == null;
    }

    /** Whether a record's version is its content hash: a full refresh, or windows over a time the records do not carry. */
    public boolean versionedByContent() {
        return cursor == null || !cursor.onRecordField();
    }

    public boolean perParent() {
        return parent != null;
    }

    /** Route that runs this spec: {@code clari-stream} (list endpoints) or {@code clari-stream-per-parent}. */
    public String route() {
        return perParent() ? "clari-stream-per-parent" : "clari-stream";
    }

    /** The children of this spec among {@code all}: streams fetched once per ready record of this one. */
    public List<StreamSpec> children(List<StreamSpec> all) {
        return all.stream().filter(s -> s.perParent() && s.parent().stream().equals(name)).toList();
    }

    /** A list stream's declaration: {@code name}, its endpoint, and the answer field holding the records. */
    public static Builder list(String name, String path, String selector) {
        return new Builder(name, path, selector, null);
    }

    /** A per-parent stream's declaration: one request per ready record of {@code parent}'s stream. */
    public static Builder perParent(String name, String path, String selector, Parent parent) {
        return new Builder(name, path, selector, Objects.requireNonNull(parent));
    }

    /** The catalog's way to declare a spec by attribute name; {@link #build} validates it. */
    public static final class Builder {
        private final String name;
        private final String path;
        private final String selector;
        private final Parent parent;
        private String query = "";
        private String key = "id";
        private Cursor cursor;
        private Paging paging = Paging.NONE;
        private Enrichment enrichment = Enrichment.NONE;
        private Responses responses;
        private Reconcile reconcile;
        private Reporting reporting = Reporting.ON_USE;

        private Builder(String name, String path, String selector, Parent parent) {
            this.name = name;
            this.path = path;
            this.selector = selector;
            this.parent = parent;
        }

        /** Parameters sent with every request, URL-encoded. */
        public Builder query(String fixedQuery) {
            this.query = fixedQuery;
            return this;
        }

        /** The record field that identifies a record (default {@code id}). */
        public Builder key(String primaryKey) {
            this.key = primaryKey;
            return this;
        }

        /** Incremental, in offset-paged windows over the cursor's time. */
        public Builder windows(Cursor windowCursor) {
            this.cursor = windowCursor;
            this.paging = Paging.OFFSET_WINDOWS;
            return this;
        }

        public Builder enrichment(Enrichment added) {
            this.enrichment = added;
            return this;
        }

        public Builder responses(Responses actions) {
            this.responses = actions;
            return this;
        }

        public Builder reconcile(Reconcile by) {
            this.reconcile = by;
            return this;
        }

        public Builder reporting(Reporting reported) {
            this.reporting = reported;
            return this;
        }

        public StreamSpec build() {
            return new StreamSpec(name, path, query, selector, key, cursor, paging, parent, enrichment, responses, reconcile, reporting);
        }
    }
}
