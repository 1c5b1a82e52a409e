package dev.clarisync.warehouse;

import java.util.List;
import java.util.Map;

/**
 * Read-only access to a warehouse, for readers such as the analytics report and the demo's summary:
 * SELECT (or WITH ... SELECT) queries with bound values, and what tables and columns exist. A
 * statement that is not a query is refused before it reaches the database.
 */
public interface QueryPort {
    /**
     * Runs a query (values bound, never concatenated) and returns its rows as column label → value: Long/Integer,
     * Double, Boolean, String, and Instant for timestamps. Name tables with {@link #table}; use it for small results.
     *
     * @throws IllegalArgumentException if {@code sql} is not a SELECT or WITH query
     */
    List<Map<String, Object>> query(String sql, Object... binds);

    /** The qualified, quoted SQL name of a table of this warehouse. */
    String table(String name);

    boolean tableExists(String table);

    /** The table's columns, in order; empty when it does not exist. */
    List<String> columns(String table);

    /** Every table (data and bookkeeping), sorted by name. */
    List<String> tables();

    long count(String table);

    /** The schema holding every table. */
    String schema();

    /** The dialect and the URL with any password masked. */
    String describe();
}
