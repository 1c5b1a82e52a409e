package dev.clarisync.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code clari.privacy.drop}: removes the named paths from a record (the last step of {@link RecordFilter}). */
final class DroppedPaths {
    private DroppedPaths() {
    }

    /** Removes every path of {@code settings} from {@code record}, in place. */
    static void drop(PrivacySettings settings, ObjectNode record) {
        for (String path : settings.drop()) {
            drop(record, path.split("\\."), 0);
        }
    }

    /** Removes a path (object keys, arrays crossed transparently); a segment matches a key or its snake_case form. */
    private static void drop(JsonNode node, String[] path, int at) {
        if (node instanceof ArrayNode a) {
            a.forEach(e -> drop(e, path, at));
            return;
        }
        if (!(node instanceof ObjectNode o)) {
            return;
        }
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            if (key.equals(path[at]) || snake(key).equals(path[at].toLowerCase(Locale.ROOT))) {
                if (at == path.length - 1) {
                    o.remove(key);
                } else {
                    drop(o.get(key), path, at + 1);
                }
            }
        }
    }

    static String snake(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
