package dev.clarisync.warehouse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate of every warehouse (workspace schema) of one DuckDB file in this process. The JDBC driver opens a file
 * once per process, so its schemas share one buffer pool and one write-ahead log, and two facts of DuckDB follow:
 * <ul>
 *   <li>Data appended since the last checkpoint stays in memory, at least one 256 KiB block per table written, and
 *       cannot be evicted until a checkpoint writes it to the file. DuckDB checkpoints on its own only when the log
 *       passes {@code checkpoint_threshold}. Indexes too: each primary key's index holds about 0.75 MiB until a
 *       checkpoint writes it. One workspace's ~25 tables fit in a few MiB long before the threshold, but 10
 *       workspaces' schemas ran out of a 64 MiB {@code memory_limit} after 100 calls each (40 MiB of it indexes). So,
 *       after a commit, when indexes and in-memory table data hold more than a quarter of the limit, the writer
 *       checkpoints ({@link #committed}); a quarter, because the table blocks waiting for a checkpoint are not in
 *       that figure (they are tagged like the file's evictable cached blocks), and half still ran out.</li>
 *   <li>A commit checkpoints (on its own, or as above) only when no other transaction is active: with many
 *       workspaces writing at once one always was. So the schemas of one file take turns, one statement or
 *       transaction at a time (a fair lock: no workspace waits behind the others).</li>
 * </ul>
 */
final class DuckDbFileGate extends SessionGate {
    private static final Logger LOG = LoggerFactory.getLogger(DuckDbFileGate.class);
    /**
     * Indexes and in-memory table data: what only a checkpoint makes evictable. (Cached blocks of the file, tagged
     * BASE_TABLE, are evictable already and fill the pool on a long run: counting them would checkpoint every commit.)
     */
    private static final String MEMORY = "SELECT (SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() "
            + "WHERE tag IN ('IN_MEMORY_TABLE', 'ART_INDEX')), current_setting('memory_limit')";
    private static final Pattern SIZE = Pattern.compile("([0-9.]+)\\s*([KMGTP]?i?B)", Pattern.CASE_INSENSITIVE);

    private final String file;
    /** Warehouses open on the file in this process. */
    private final AtomicInteger warehouses = new AtomicInteger();

    DuckDbFileGate(String file) {
        super(new ReentrantLock(true));
        this.file = file;
    }

    @Override
    void join() {
        warehouses.incrementAndGet();
    }

    @Override
    void leave() {
        warehouses.decrementAndGet();
    }

    @Override
    void committed(Connection session) {
        if (warehouses.get() < 2) {
            return; // one schema: DuckDB's own checkpoint_threshold suffices, and the look costs a query per commit
        }
        try {
            checkpointIfCrowded(session);
        } catch (SQLException e) {
            // the transaction is committed either way; DuckDB's own checkpoint still runs at the threshold
            LOG.warn("could not checkpoint {} to free memory: {}", file, Secrets.oneLine(e.getMessage(), null));
        }
    }

    private void checkpointIfCrowded(Connection session) throws SQLException {
        long pinned;
        Long limit;
        try (Statement s = session.createStatement(); ResultSet rs = s.executeQuery(MEMORY)) {
            rs.next();
            pinned = rs.getLong(1);
            limit = bytes(rs.getString(2));
        }
        if (limit != null && pinned > limit / 4) {
            try (Statement s = session.createStatement()) {
                s.execute("CHECKPOINT");
            }
            LOG.debug("checkpointed {}: indexes and unwritten tables held {} MiB of memory_limit {} MiB", file, pinned >> 20, limit >> 20);
        }
    }

    /** A size as DuckDB prints it ({@code 64.0 MiB}, {@code 1.8 GiB}, {@code 500.0 MB}); null if not one. */
    static Long bytes(String size) {
        Matcher m = size == null ? null : SIZE.matcher(size.strip());
        if (m == null || !m.matches()) {
            return null;
        }
        return DuckDbDialect.bytes(m.group(1), m.group(2));
    }
}
