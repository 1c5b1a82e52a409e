package dev.clarisync.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What happened to one backlog entry in a batch: fetched (with the call), not found (404), or already fetched at this version. */
public record DetailsResult(BacklogEntry entry, Kind kind, ObjectNode call) {
    public enum Kind { FETCHED, NOT_FOUND, ALREADY_FETCHED }

    public static DetailsResult fetched(BacklogEntry entry, ObjectNode call) {
        return new DetailsResult(entry, Kind.FETCHED, call);
    }

    public static DetailsResult notFound(BacklogEntry entry) {
        return new DetailsResult(entry, Kind.NOT_FOUND, null);
    }

    public static DetailsResult alreadyFetched(BacklogEntry entry) {
        return new DetailsResult(entry, Kind.ALREADY_FETCHED, null);
    }
}
