package dev.clarisync.sim;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compact, in-memory index entry of one call: only what filtering, sorting and mutation need.
 * Everything else (title, participants, metrics, transcript...) is re-derived from {@link #seed} on
 * request by {@link CallFactory}, which is what keeps 100,000 calls in a few tens of megabytes.
 *
 * <p>The final fields never change. The mutable fields are guarded by {@link CallStore}'s lock.
 */
final class CallRecord {
    /** Sentinel for "no processed time yet". */
    static final long NONE = Long.MIN_VALUE;

    final int index;
    final long seed;
    final String id;
    final CallType type;
    /** Call start (epoch ms). */
    final long time;
    /** Calendar slot of a meeting (epoch ms), or {@link #NONE}. */
    final long originalStart;
    /** Length of the conversation in seconds, used for metrics and transcript timing. */
    final int durationSeconds;
    /** Indexes into {@link UserDirectory}; the first one organises the call. */
    final int[] users;
    final boolean privateCall;

    CallStatus status;
    long lastModified;
    /** When processing finished (epoch ms), or {@link #NONE}: the key of {@code sortProcessed}. */
    long processedAt;
    boolean deleted;
    boolean detailsMissing;
    /** Non-null: {@code /call-details} answers this unreadable form instead (see {@link DetailsDefect}). */
    DetailsDefect detailsDefect;
    /** Positive: the transcript has exactly this many turns (an all-day session), instead of 10 to 80. */
    int transcriptTurns;
    int detailsRevision;
    /** Set by a CRM edit ({@link SimulatorData#moveDeal}): the deal's stage and amount now, instead of the seed's. */
    String dealStage;
    Long dealValue;
    Map<String, JsonNode> extraFields;

    CallRecord(int index, long seed, String id, CallType type, long time, long originalStart, int durationSeconds,
               int[] users, boolean privateCall, CallStatus status, long lastModified, long processedAt) {
        this.index = index;
        this.seed = seed;
        this.id = id;
        this.type = type;
        this.time = time;
        this.originalStart = originalStart;
        this.durationSeconds = durationSeconds;
        this.users = users;
        this.privateCall = privateCall;
        this.status = status;
        this.lastModified = lastModified;
        this.processedAt = processedAt;
    }

    void putExtra(String key, JsonNode value) {
        if (extraFields == null) {
            extraFields = new LinkedHashMap<>(4);
        }
        extraFields.put(key, value);
    }
}
