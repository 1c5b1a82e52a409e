package dev.clarisync.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Clari's timestamp format: ISO-8601 UTC with milliseconds, {@code 2025-06-10T15:00:00.000Z}. */
public final class ClariTime {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private ClariTime() {
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
