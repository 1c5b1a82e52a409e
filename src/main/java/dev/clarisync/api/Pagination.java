package dev.clarisync.api;

import com.fasterxml.jackson.databind.JsonNode;

/** The {@code pagination} object of a list page; every part may be missing (then {@code null}). */
public record Pagination(Long matched, Boolean hasMore, Integer nextPageSkip) {

    public static Pagination of(JsonNode page) {
        JsonNode p = page.get("pagination");
        if (p == null || !p.isObject()) {
            return new Pagination(null, null, null);
        }
        return new Pagination(
                p.hasNonNull("matched") ? p.get("matched").asLong() : null,
                p.hasNonNull("hasMore") ? p.get("hasMore").asBoolean() : null,
                p.hasNonNull("nextPageSkip") ? p.get("nextPageSkip").asInt() : null);
    }
}
