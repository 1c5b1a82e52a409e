package dev.clarisync.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What happened to one backlog entry in a batch: fetched (with the call and its {@link ContentHash}), not found (404),
 * already fetched at this version, or answered with another record (the schema contract: details are stored only under
 * the id asked for, so such an entry is written nowhere and stays owed), or set aside: an answer that can never be read
 * as it is, with the reason and the answer's text (cut); it goes to {@code _rejected_records} and stays owed, so each
 * later run tries it once more.
 */
public record DetailsResult(BacklogEntry entry, Kind kind, ObjectNode call, String contentHash, String reason, String answer) {
    public enum Kind { FETCHED, NOT_FOUND, ALREADY_FETCHED, ANSWERED_FOR_ANOTHER, SET_ASIDE }

    DetailsResult(BacklogEntry entry, Kind kind, ObjectNode call, String contentHash) {
        this(entry, kind, call, contentHash, null, null);
    }

    /** Hashes the call here, on the fetching thread: the batch writer is the one serial step of the stream. */
    public static DetailsResult fetched(BacklogEntry entry, ObjectNode call) {
        return new DetailsResult(entry, Kind.FETCHED, call, ContentHash.of(call));
    }

    /** Hashes the answer's bytes as they came (with what the stored form also depends on): no re-serialising. */
    public static DetailsResult fetched(BacklogEntry entry, ObjectNode call, byte[] answer, String context) {
        return new DetailsResult(entry, Kind.FETCHED, call, ContentHash.ofAnswer(answer, context));
    }

    public static DetailsResult notFound(BacklogEntry entry) {
        return new DetailsResult(entry, Kind.NOT_FOUND, null, null);
    }

    public static DetailsResult answeredForAnother(BacklogEntry entry) {
        return new DetailsResult(entry, Kind.ANSWERED_FOR_ANOTHER, null, null);
    }

    public static DetailsResult alreadyFetched(BacklogEntry entry) {
        return new DetailsResult(entry, Kind.ALREADY_FETCHED, null, null);
    }

    /** An answer that can never be read as it is: {@code reason} is one line, {@code answer} its text (cut) or null. */
    public static DetailsResult setAside(BacklogEntry entry, String reason, String answer) {
        return new DetailsResult(entry, Kind.SET_ASIDE, null, null, reason, answer);
    }
}
