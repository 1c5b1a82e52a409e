package dev.clarisync.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code clari.history.streams}: the streams whose root rows keep every version in {@code <stream>__history}. Only
 * streams with one row per call are worth a history (their rows change after the call: status, deal fields); the
 * lists of users, scorecards and topics are not versioned.
 */
public final class HistoryStreams {
    public static final String KEY = "clari.history.streams";
    /** The streams a history can be kept for. */
    public static final List<String> ALLOWED = List.of("calls", "call_details");

    private HistoryStreams() {
    }

    /** The configured streams (default {@code calls}; empty value = none), validated at start with the other settings. */
    public static List<String> of(ConnectorSettings settings) {
        return settings.historyStreams();
    }

    /** Parses and validates the value, naming the key on a bad one ({@link ConnectorSettings#from}). */
    static List<String> parse(Map<String, String> properties) {
        String value = properties.getOrDefault(KEY, "calls").trim();
        List<String> out = new ArrayList<>();
        for (String s : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            if (!ALLOWED.contains(s)) {
                throw new SettingsException(KEY, "cannot keep the history of '" + s + "' (allowed: " + String.join(",", ALLOWED)
                        + ", or empty for none)");
            }
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }
}
