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
 * @param primaryKey  the record field that identifies it (the connector's tables key on {@code id})
 * @param cursor      incremental reading, or null for a full refresh (read everything, remove what is
 *                    no longer listed, version = content hash)
 * @param paging      how requests are walked
 * @param parent      for a per-parent stream: the parent stream and which of its records are fetched;
 *                    null for a list stream
 */
public record StreamSpec(String name, String path, String fixedQuery, String selector, String primaryKey,
                         Cursor cursor, Paging paging, Parent parent, Enrichment enrichment) {

    public StreamSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(path);
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
    }

    /** Incremental reading on a record field: from the stored cursor minus {@code lookback} up to the run's start. */
    public record Cursor(String field, String gtParam, String ltParam, Duration lookback) {
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
