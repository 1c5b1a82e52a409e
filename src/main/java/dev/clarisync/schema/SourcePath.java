package dev.clarisync.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Source paths name where a table or column comes from in the JSON, unambiguously; they are what the
 * warehouse persists next to each generated name (and what the hash suffixes of {@link Naming} hash).
 *
 * <p>A column's path is relative to its table's row object, in JSON Pointer form with one extra escape:
 * each key is prefixed by {@code /}, and inside a key {@code ~} is written {@code ~0}, {@code /} is
 * {@code ~1} and {@code [} is {@code ~2}. Example: {@code /metrics/talk_listen_ratio}.
 *
 * <p>A table's path is the stream name followed by the pointer of each array of objects on the way down,
 * each marked with {@code []} (the escape of {@code [} keeps the marker unambiguous). Examples:
 * {@code calls}, {@code calls/users[]}, {@code calls/metrics/categories[]/phrases_matched[]}.
 */
public final class SourcePath {

    private SourcePath() {
    }

    /** The pointer of {@code key} inside the object at {@code base} (use "" for a row's top level). */
    public static String child(String base, String key) {
        StringBuilder b = new StringBuilder(base.length() + key.length() + 1).append(base).append('/');
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            switch (c) {
                case '~' -> b.append("~0");
                case '/' -> b.append("~1");
                case '[' -> b.append("~2");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** The path of the child table for the array of objects at {@code pointer} inside rows of {@code tablePath}. */
    public static String childTable(String tablePath, String pointer) {
        return tablePath + pointer + "[]";
    }

    /** The original keys of a relative pointer such as {@code /metrics/talk_listen_ratio}. */
    public static List<String> keys(String pointer) {
        List<String> keys = new ArrayList<>();
        if (pointer.isEmpty()) {
            return keys;
        }
        if (pointer.charAt(0) != '/') {
            throw new IllegalArgumentException("not a pointer: " + pointer);
        }
        StringBuilder key = new StringBuilder();
        for (int i = 1; i < pointer.length(); i++) {
            char c = pointer.charAt(i);
            if (c == '/') {
                keys.add(key.toString());
                key.setLength(0);
            } else if (c == '~' && i + 1 < pointer.length()) {
                char e = pointer.charAt(++i);
                key.append(e == '0' ? '~' : e == '1' ? '/' : '[');
            } else {
                key.append(c);
            }
        }
        keys.add(key.toString());
        return keys;
    }
}
