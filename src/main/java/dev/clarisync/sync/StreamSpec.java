package dev.clarisync.sync;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One stream, declared: what to ask Clari, where the records are, how a record is identified and
 * versioned, how far a run reads, how pages are walked, and (for a child stream) which parent records
 * it is fetched for. The engine ({@link ListStream} for list endpoints, {@link PerParentStream} for one
 * request per parent record) runs any spec; {@link StreamCatalog} declares the connector's streams.
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
 * @param availability what a 403 or 404 from this stream's endpoint means (null: {@link Availability#EVERY_ACCOUNT})
 */
public record StreamSpec(String name, String path, String fixedQuery, String selector, String primaryKey,
                         Cursor cursor, Paging paging, Parent parent, Enrichment enrichment, Availability availability) {

    /** A stream every account can read ({@link Availability#EVERY_ACCOUNT}). */
    public StreamSpec(String name, String path, String fixedQuery, String selector, String primaryKey, Cursor cursor, Paging paging,
                      Parent parent, Enrichment enrichment) {
        this(name, path, fixedQuery, selector, primaryKey, cursor, paging, parent, enrichment, Availability.EVERY_ACCOUNT);
    }

    public StreamSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(path);
        Objects.requireNonNull(primaryKey);
        fixedQuery = fixedQuery == null ? "" : fixedQuery;
        if (paging == Paging.OFFSET_WINDOWS && cursor == null) {
            throw new IllegalArgumentException(name + ": offset windows are cut over the cursor field: declare a cursor");
        }
        if (parent != null && (cursor != null || paging != Paging.NONE)) {
            throw new IllegalArgumentException(name + ": a per-parent stream has no cursor or paging of its own");
        }
        if (enrichment == null) {
            enrichment = Enrichment.NONE;
        }
        if (availability == null) {
            availability = Availability.EVERY_ACCOUNT;
        }
        if (availability == Availability.BY_FEATURE && parent != null) {
            throw new IllegalArgumentException(name + ": a per-parent stream's 404 means a deleted parent, not a missing feature");
        }
    }

    /**
     * What a 403 or 404 from the stream's endpoint means. Clari answers both for an account without a feature (no
     * coaching: {@code /scorecard}) while every other endpoint accepts the same credentials; the same two statuses on
     * an endpoint every account has mean rejected credentials or a wrong base URL.
     */
    public enum Availability {
        /** Every account can read it: 403 = the credentials are rejected (exit 3), 404 = a wrong base URL (exit 2). */
        EVERY_ACCOUNT,
        /**
         * Only accounts with a feature can: once Clari has accepted the credentials in this run (or in {@code check}'s
         * first request), a 403 or 404 here means the account lacks the feature. The stream is skipped with a warning,
         * the others sync, and the next run asks again. Before any accepted answer, it means what it means for
         * {@link #EVERY_ACCOUNT}.
         */
        BY_FEATURE
    }

    /**
     * Whether an answer of {@code status} from this stream's endpoint says the account cannot read it (skip the stream)
     * rather than that the run is misconfigured.
     *
     * @param credentialsAccepted whether Clari already answered a request of this run with these credentials
     */
    public boolean unavailableOn(int status, boolean credentialsAccepted) {
        return availability == Availability.BY_FEATURE && credentialsAccepted && (status == 403 || status == 404);
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
     */
    public record Parent(String stream, String idParam, String readyField, Set<String> ready) {
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
}
