package dev.clarisync.sim;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The API's timestamp format: ISO-8601 UTC with exactly three fraction digits. */
final class Times {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Times() {
    }

    static String format(long epochMillis) {
        return FORMAT.format(Instant.ofEpochMilli(epochMillis));
    }

    /**
     * Parses a filter value leniently: an instant with {@code Z} or an offset, a local date-time (taken as
     * UTC) or a date (midnight UTC). A space is read back as '+', since an unencoded '+' in a query
     * string decodes to a space.
     *
     * @throws DateTimeParseException when nothing fits
     */
    static Instant parse(String text) {
        String s = text.trim().replace(' ', '+');
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
        }
    }

    /** Epoch ms rounded down (for strict lower bounds). */
    static long floorMillis(Instant i) {
        return i.getEpochSecond() * 1000 + i.getNano() / 1_000_000;
    }

    /** Epoch ms rounded up (for strict upper bounds): {@code t < ceil(x)} iff {@code t < x} for whole ms t. */
    static long ceilMillis(Instant i) {
        long floor = floorMillis(i);
        return i.getNano() % 1_000_000 == 0 ? floor : floor + 1;
    }
}
