package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;

/** The minimum a record needs to be stored: a JSON object with a non-empty string {@code id}. */
public final class RecordCheck {
    private RecordCheck() {
    }

    /** Null when the record is fine, else why it is rejected. */
    public static String problem(JsonNode record) {
        if (record == null || !record.isObject()) {
            return "not a JSON object";
        }
        JsonNode id = record.get("id");
        if (id == null || id.isNull()) {
            return "no 'id'";
        }
        if (!id.isTextual() || id.asText().isBlank()) {
            return "'id' is not a non-empty string";
        }
        return null;
    }
}
