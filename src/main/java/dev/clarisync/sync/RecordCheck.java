package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;

/** The minimum a record needs to be stored: a JSON object with a non-empty string key ({@code id} unless declared otherwise). */
public final class RecordCheck {
    private RecordCheck() {
    }

    /** Null when the record is fine, else why it is rejected. */
    public static String problem(JsonNode record) {
        return problem(record, "id");
    }

    /** Null when the record is fine with {@code keyField} as its key, else why it is rejected. */
    public static String problem(JsonNode record, String keyField) {
        if (record == null || !record.isObject()) {
            return "not a JSON object";
        }
        JsonNode id = record.get(keyField);
        if (id == null || id.isNull()) {
            return "no '" + keyField + "'";
        }
        if (!id.isTextual() || id.asText().isBlank()) {
            return "'" + keyField + "' is not a non-empty string";
        }
        return null;
    }
}
