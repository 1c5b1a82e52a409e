package dev.clarisync.warehouse;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Rows written per table (root and child tables, by SQL name). Immutable; {@link #plus} adds two counts up. */
public final class WriteCounts {

    public static final WriteCounts EMPTY = new WriteCounts(Map.of());

    private final Map<String, Long> rows;

    public WriteCounts(Map<String, Long> rows) {
        this.rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
    }

    /** Rows per table, in the order the tables were written. */
    public Map<String, Long> asMap() {
        return rows;
    }

    /** Rows written to {@code table}, 0 if none. */
    public long rows(String table) {
        return rows.getOrDefault(table, 0L);
    }

    public long total() {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }

    public WriteCounts plus(WriteCounts other) {
        Map<String, Long> sum = new LinkedHashMap<>(rows);
        other.rows.forEach((table, n) -> sum.merge(table, n, Long::sum));
        return new WriteCounts(sum);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WriteCounts w && w.rows.equals(rows);
    }

    @Override
    public int hashCode() {
        return rows.hashCode();
    }

    @Override
    public String toString() {
        return rows.toString();
    }
}
