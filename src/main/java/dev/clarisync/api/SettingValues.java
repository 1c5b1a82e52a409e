package dev.clarisync.api;

import dev.clarisync.config.SettingsException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Reads the limiter's and the page-size policy's settings from the raw property map, with defaults, and
 * fails naming the key like every other setting. Kept here so those settings live with the classes that
 * use them.
 */
final class SettingValues {
    private SettingValues() {
    }

    static double decimal(Map<String, String> raw, String key, double dflt, double min, double max) {
        String v = raw.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (d >= min && d <= max) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new SettingsException(key, "must be a number from " + min + " to " + max + ", not '" + v + "'");
    }

    static long integer(Map<String, String> raw, String key, long dflt, long min, long max) {
        String v = raw.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new SettingsException(key, "must be a whole number from " + min + " to " + max + ", not '" + v + "'");
    }

    static Duration duration(Map<String, String> raw, String key, Duration dflt) {
        String v = raw.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            Duration d = Duration.parse(v.trim());
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException ignored) {
            // reported below
        }
        throw new SettingsException(key, "must be an ISO-8601 duration such as PT1S, not '" + v + "'");
    }
}
