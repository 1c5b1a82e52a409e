package dev.clarisync.warehouse;

import dev.clarisync.schema.SchemaModel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse's one session: the connection that holds the single-writer lock, the lock that serialises its use
 * (the {@link SessionGate}'s), holds that keep a released file open, and transactions.
 *
 * <p>The connection is never swapped for another behind the caller's back: a lost connection fails the next call
 * instead of writing without the lock. Only {@link #hold} after {@link #releaseBetweenWrites} opens a new one.
 */
final class WarehouseSession {

    /** Logs as the warehouse: what operators see of opening and releasing it. */
    private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);

    private final Warehouse owner;
    private final Dialect dialect;
    private final String url;
    private final String schema;
    /** The session; null while the file is released between writes ({@link #releaseBetweenWrites}). */
    private Connection connection;
    private final AutoCloseable writerLock;
    /** Serialises the use of the session: the {@link SessionGate}'s, shared by every warehouse of one DuckDB file. */
    private final ReentrantLock lock;
    private final SessionGate gate;
    /** Statements, stages and key filters kept for the session's life (see {@link WriteSession}). */
    private WriteSession writes;
    /** {@link Warehouse.Hold}s taken and not yet closed: the session stays open while there are any. */
    private int holds;
    /** Whether the session is closed whenever no hold is taken ({@link #releaseBetweenWrites}). */
    private boolean releaseWhenIdle;
    /** What the data tables look like; null means "reload from the database before use" (after a rollback). */
    private SchemaModel model;
    private WarehouseTransaction current;
    private boolean closed;

    WarehouseSession(Warehouse owner, Dialect dialect, String url, String schema, Connection connection,
                     AutoCloseable writerLock, SessionGate gate) {
        this.owner = owner;
        this.dialect = dialect;
        this.url = url;
        this.schema = schema;
        this.connection = connection;
        this.writerLock = writerLock;
        this.gate = gate;
        this.lock = gate.lock();
        this.writes = new WriteSession(dialect, connection);
    }

    /**
     * Opens the warehouse of {@code jdbcUrl} with {@code dialect} ({@link Warehouse#open}): connects, takes the
     * single-writer lock, prepares the bookkeeping tables, migrates to the declared schema and loads the model.
     */
    static Warehouse open(Dialect dialect, String jdbcUrl, String user, String password, String schema) {
        String s = schema == null || schema.isBlank() ? dialect.defaultSchema() : schema;
        Connection c = dialect.connect(jdbcUrl, user, password);
        AutoCloseable writerLock = null;
        try {
            c.setAutoCommit(true);
            writerLock = dialect.lockWriter(c, jdbcUrl, s);
            Warehouse w = new Warehouse(dialect, jdbcUrl, s, dialect.qualifier(c, s), c, writerLock);
            w.sessionRole().locked(() -> { // other warehouses of the same DuckDB file may be writing
                w.prepare();
                SchemaMigration.migrate(w); // schema contract (#14): bring an existing warehouse to the declared schema
                return null;
            });
            w.sessionRole().opened();
            LOG.info("Opened {} warehouse {} (schema {}): {} data tables", dialect.name(), Secrets.maskUrl(jdbcUrl), s,
                    w.sessionRole().model().tables().size());
            return w;
        } catch (WarehouseException e) {
            closeQuietly(writerLock, c);
            throw e;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(writerLock, c);
            throw new WarehouseUnavailableException("cannot prepare warehouse " + Secrets.maskUrl(jdbcUrl) + " (schema " + s
                    + "): " + Secrets.oneLine(e.getMessage(), password), e);
        }
    }

    /** Runs {@code work} holding the lock of the session (other warehouses of the same DuckDB file may be writing). */
    private void locked(SqlWork<Void> work) throws SQLException {
        lock.lock();
        try {
            work.run();
        } finally {
            lock.unlock();
        }
    }

    /** The session joins its gate; left in {@link #close}, which only an opened warehouse reaches. */
    private void opened() {
        gate.join();
    }

    String url() {
        return url;
    }

    static void closeQuietly(AutoCloseable lock, Connection c) {
        try {
            if (lock != null) {
                lock.close();
            }
        } catch (Exception ignored) {
            // the connection close below releases it anyway
        }
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException ignored) {
            // nothing more to release
        }
    }

    /** See {@link Warehouse#releaseBetweenWrites}. */
    boolean releaseBetweenWrites() {
        if (!dialect.releasesFile(url)) {
            return false;
        }
        lock.lock();
        try {
            releaseWhenIdle = true;
            if (holds == 0 && connection != null && !closed) {
                releaseSession();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a hold, reopening the released file first ({@link Warehouse#hold}). */
    void hold() {
        lock.lock();
        try {
            ensureNotClosed();
            if (connection == null) {
                reopen();
            }
            holds++;
        } finally {
            lock.unlock();
        }
    }

    /** Lets a hold go; the last one releases a file released when idle. */
    void letGo() {
        lock.lock();
        try {
            holds--;
            if (holds == 0 && releaseWhenIdle && connection != null && !closed) {
                releaseSession();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the session is open now (false while released between writes, or closed). */
    boolean isOpen() {
        lock.lock();
        try {
            return connection != null && !closed;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the file is released between writes now: then there is nothing to ask without taking it from its readers. */
    boolean isReleased() {
        lock.lock();
        try {
            return connection == null && !closed;
        } finally {
            lock.unlock();
        }
    }

    private void reopen() {
        long started = System.nanoTime();
        Connection c = dialect.connect(url, null, null);
        try {
            c.setAutoCommit(true);
            connection = c;
            writes = new WriteSession(dialect, c); // key filters and statements belong to one session
            model = null;
            owner.prepare();
        } catch (SQLException | RuntimeException e) {
            connection = null;
            writes.close();
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing more to release
            }
            if (e instanceof WarehouseException w) {
                throw w;
            }
            throw new WarehouseUnavailableException("cannot reopen warehouse " + Secrets.maskUrl(url) + ": "
                    + Secrets.oneLine(e.getMessage(), null), e);
        }
        gate.join();
        // issue 29: what releasing the file between syncs costs, once per sync (README: Reading the warehouse ...)
        LOG.info("warehouse file opened for writing in {} ms (schema {})", (System.nanoTime() - started) / 1_000_000, schema);
    }

    private void releaseSession() {
        long started = System.nanoTime();
        gate.leave();
        writes.close();
        try {
            connection.close(); // the last session of the file closes the database: DuckDB checkpoints and unlocks it
        } catch (SQLException e) {
            LOG.warn("closing the warehouse session failed: {}", Secrets.oneLine(e.getMessage(), null));
        }
        connection = null;
        LOG.info("warehouse file released in {} ms (schema {}): readers may open it", (System.nanoTime() - started) / 1_000_000, schema);
    }

    /** See {@link Warehouse#inTransaction}. */
    <T> T inTransaction(TxWork<T> work) {
        Objects.requireNonNull(work, "work");
        lock.lock();
        try {
            ensureOpen();
            if (current != null) {
                throw new IllegalStateException("inTransaction is not reentrant: use the WarehouseTx you were given");
            }
            dialect.begin(connection);
            WarehouseTransaction tx = new WarehouseTransaction(owner);
            current = tx;
            boolean committed = false;
            try {
                T result = work.run(tx);
                tx.end();
                dialect.commit(connection);
                committed = true;
                writes.committed();
                gate.committed(connection);
                return result;
            } catch (Throwable t) {
                if (!committed) {
                    rollbackAfter(t);
                    tx.rolledBack();
                }
                throw WarehouseException.ofFailedTransaction(t);
            } finally {
                tx.end();
                current = null;
            }
        } catch (SQLException e) {
            throw new WarehouseException("cannot start a warehouse transaction: " + Secrets.oneLine(e.getMessage(), null), e);
        } finally {
            lock.unlock();
        }
    }

    private void rollbackAfter(Throwable cause) {
        model = null; // whatever the transaction taught the model is gone with it
        writes.rolledBack();
        try {
            dialect.rollback(connection);
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Whether a transaction runs on this thread now (schema changes are applied only there). */
    boolean inTransactionOnThisThread() {
        return current != null && lock.isHeldByCurrentThread();
    }

    /** Releases the lock and the connection. Idempotent; waits for a running transaction to end. */
    void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (connection == null) {
                closeQuietly(writerLock, null); // released between writes: only the in-process claim is left
                return;
            }
            gate.leave();
            writes.close();
            closeQuietly(writerLock, connection);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} on the session, between other threads' transactions; SQL failures become a {@link WarehouseException}. */
    <T> T withSession(SqlWork<T> work) {
        lock.lock();
        try {
            ensureOpen();
            return work.run();
        } catch (SQLException e) {
            throw new WarehouseException("warehouse query failed: " + Secrets.oneLine(e.getMessage(), null), e);
        } finally {
            lock.unlock();
        }
    }

    /** SQL work for {@link #withSession}. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    private void ensureOpen() {
        ensureNotClosed();
        if (connection == null) {
            throw new WarehouseReleasedException("the warehouse file " + Secrets.maskUrl(url)
                    + " is released between syncs (take a hold to use it)");
        }
    }

    private void ensureNotClosed() {
        if (closed) {
            throw new IllegalStateException("warehouse is closed");
        }
    }

    Connection connection() {
        return connection;
    }

    WriteSession writes() {
        return writes;
    }

    boolean heldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    SchemaModel model() throws SQLException {
        if (model == null) {
            model = SchemaModelLoader.load(owner);
        }
        return model;
    }

    /** Reloads the model from the database now (the warehouse opened or reopened). */
    void reloadModel() throws SQLException {
        model = SchemaModelLoader.load(owner);
    }

    void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    /** Runs a statement with bound values; answers the rows it changed. */
    int update(String sql, Object... binds) throws SQLException {
        try (PreparedStatement ps = prepare(sql, binds)) {
            return ps.executeUpdate();
        }
    }

    /** The single number a {@code SELECT count(*)} statement answers. */
    long countOf(String sql, Object... binds) throws SQLException {
        try (PreparedStatement ps = prepare(sql, binds); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A statement of the session with {@code binds} bound by the dialect; the caller closes it. */
    PreparedStatement prepare(String sql, Object... binds) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < binds.length; i++) {
                dialect.bind(ps, i + 1, binds[i]);
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }
}
