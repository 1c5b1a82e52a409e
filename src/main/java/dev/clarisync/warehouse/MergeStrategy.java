package dev.clarisync.warehouse;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a dialect merges rows into a table that may hold their keys ({@link Dialect#merge}): the statements differ by
 * database, the writer runs whatever the strategy returns. Both give a replaced row exactly the source's values.
 */
public enum MergeStrategy {

    /** One {@code INSERT ... ON CONFLICT (keys) DO UPDATE SET c = excluded.c} (DuckDB, PostgreSQL). */
    ON_CONFLICT {
        @Override
        List<String> statements(Dialect d, String target, List<String> targetColumns, List<String> columns, List<String> keys,
                                String source) {
            Set<String> given = new HashSet<>(columns);
            String set = targetColumns.stream().filter(c -> !keys.contains(c))
                    .map(c -> d.quote(c) + " = " + (given.contains(c) ? "excluded." + d.quote(c) : "NULL"))
                    .collect(Collectors.joining(", "));
            String keyList = keys.stream().map(d::quote).collect(Collectors.joining(", "));
            return List.of(insert(d, target, columns, source) + " ON CONFLICT (" + keyList + ") DO "
                    + (set.isEmpty() ? "NOTHING" : "UPDATE SET " + set));
        }
    },

    /** A DELETE of the matching keys, then an INSERT: standard SQL, for databases without ON CONFLICT. */
    DELETE_THEN_INSERT {
        @Override
        List<String> statements(Dialect d, String target, List<String> targetColumns, List<String> columns, List<String> keys,
                                String source) {
            String match = keys.stream().map(k -> "s." + d.quote(k) + " = t." + d.quote(k)).collect(Collectors.joining(" AND "));
            return List.of("DELETE FROM " + target + " AS t WHERE EXISTS (SELECT 1 FROM (" + source + ") s WHERE " + match + ")",
                    insert(d, target, columns, source));
        }
    };

    /** The statements of {@link Dialect#merge}, with its parameters. */
    abstract List<String> statements(Dialect d, String target, List<String> targetColumns, List<String> columns,
                                     List<String> keys, String source);

    private static String insert(Dialect d, String target, List<String> columns, String source) {
        return "INSERT INTO " + target + " (" + columns.stream().map(d::quote).collect(Collectors.joining(", ")) + ") " + source;
    }
}
