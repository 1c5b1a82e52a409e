package dev.clarisync.warehouse;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/**
 * How the writer learns whether a table may already hold some keys, so that rows with new keys are appended in bulk
 * and only the others merged ({@link Dialect#keyPresence}). Each database answers its own way; the writer asks the
 * strategy and never branches on the database.
 */
public enum KeyPresence {

    /**
     * Nothing but the warehouse's own session writes its tables while it is open (DuckDB: one process per file, one
     * warehouse per file in a process): the session remembers which keys each table may hold ({@link KeyFilter}),
     * loaded once per table, instead of asking the database page after page.
     */
    REMEMBERED {
        @Override
        boolean mayHoldAny(Probe probe, Collection<String> keys) throws SQLException {
            KeyFilter filter = probe.filter();
            for (String key : keys) {
                if (filter.mayContain(key)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        List<String> mayHold(Probe probe, Collection<String> keys) throws SQLException {
            KeyFilter filter = probe.filter();
            return keys.stream().filter(filter::mayContain).toList();
        }

        @Override
        void remember(Probe probe, Collection<String> keys) throws SQLException {
            KeyFilter filter = probe.filter();
            keys.forEach(filter::add);
        }
    },

    /** Others may write too; one query binds every key as one array parameter ({@code = ANY(?)}, PostgreSQL). */
    ARRAY_PROBE {
        @Override
        boolean mayHoldAny(Probe probe, Collection<String> keys) throws SQLException {
            return probe.anyPresent(keys);
        }
    },

    /** Others may write too and there is no cheap question: any key may be there (the writer merges). */
    ASSUMED {
        @Override
        boolean mayHoldAny(Probe probe, Collection<String> keys) {
            return true;
        }
    };

    /** Whether any of {@code keys} may be in the table (false only when certainly none is). */
    abstract boolean mayHoldAny(Probe probe, Collection<String> keys) throws SQLException;

    /** Those of {@code keys} that may be in the table (all of them unless the keys are remembered). */
    List<String> mayHold(Probe probe, Collection<String> keys) throws SQLException {
        return List.copyOf(keys);
    }

    /** Notes {@code keys} as (possibly) present in the table now; nothing unless the keys are remembered. */
    void remember(Probe probe, Collection<String> keys) throws SQLException {
    }

    /** One table's keys, as a strategy asks about them. */
    interface Probe {
        /** The keys the table may hold, remembered for the session (loaded on first use). */
        KeyFilter filter() throws SQLException;

        /** Whether any of {@code keys} is in the table, asked of the database. */
        boolean anyPresent(Collection<String> keys) throws SQLException;
    }
}
