package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnSchema;
import dev.clarisync.schema.ColumnType;
import dev.clarisync.schema.SchemaChange;
import dev.clarisync.schema.SchemaModel;
import dev.clarisync.schema.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse: one DuckDB file or one PostgreSQL schema holding the stream tables and the bookkeeping tables
 * {@code _sync_state}, {@code _sync_runs}, {@code _schema_changes}, {@code _processed}, and the name mapping
 * {@code _schema_tables} / {@code _schema_columns} that keeps generated names stable across runs.
 *
 * <p>One {@code Warehouse} is the single writer of its warehouse for as long as it is open (see {@link #open}).
 * It uses one session connection for its whole life: that connection holds the lock, so it is never swapped
 * for another one behind the caller's back (a lost connection fails the next call instead of writing without
 * the lock). All methods are thread-safe; they are serialised, and a transaction excludes other threads.
 */
public final class Warehouse implements QueryPort, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);

    static final String SYNC_STATE = "_sync_state";
    static final String SYNC_RUNS = "_sync_runs";
    static final String SCHEMA_CHANGES = "_schema_changes";
    static final String PROCESSED = "_processed";
    static final String SCHEMA_TABLES = "_schema_tables";
    static final String SCHEMA_COLUMNS = "_schema_columns";
    static final Set<String> BOOKKEEPING = Set.of(SYNC_STATE, SYNC_RUNS, SCHEMA_CHANGES, PROCESSED, SCHEMA_TABLES, SCHEMA_COLUMNS);


    private final Dialect dialect;
    private final RunLogStore runLog = new RunLogStore(this);
    private final StateStore state = new StateStore(this);
    private final ProcessedStore processed = new ProcessedStore(this);
    private final SchemaWriter schemaWriter = new SchemaWriter(this);
    private final HistoryTables history = new HistoryTables(this);
    /** The clock of every timestamp the warehouse writes on its own (processed_at, changed_at, updated_at, ...). */
    private volatile Clock clock = Clock.systemUTC();
    private final String schema;
    /** Quoted prefix of every table name ("schema", or "catalog"."schema" on DuckDB). */
    private final String qualifier;
    /** The session; null while the file is released between writes ({@link #releaseBetweenWrites}). */
    private Connection session;
    private final AutoCloseable writerLock;
    private String url = "";
    /** Serialises the use of the session: the {@link SessionGate}'s, shared by every warehouse of one DuckDB file. */
    private final ReentrantLock lock;
    private final SessionGate gate;
    /** Statements, stages and key filters kept for the session's life (see {@link WriteSession}). */
    private WriteSession writes;
    /** {@link Hold}s taken and not yet closed: the session stays open while there are any. */
    private int holds;
    /** Whether the session is closed whenever no {@link Hold} is taken ({@link #releaseBetweenWrites}). */
    private boolean releaseWhenIdle;
    /** What the data tables look like; null means "reload from the database before use" (after a rollback). */
    private SchemaModel model;
    private WarehouseTransaction current;
    private boolean closed;
    private volatile java.util.function.Supplier<List<String>> beforeTypeChange = List::of;

    private Warehouse(Dialect dialect, String schema, String qualifier, Connection session, AutoCloseable writerLock,
                      SessionGate gate) {
        this.dialect = dialect;
        this.gate = gate;
        this.lock = gate.lock();
        this.schema = schema;
        this.qualifier = qualifier;
        this.session = session;
        this.writerLock = writerLock;
        this.writes = new WriteSession(dialect, session);
    }

    /**
     * Opens (creating if needed) the warehouse named by a JDBC URL, creates the bookkeeping tables, loads what is
     * known about the data tables, and takes the single-writer lock until {@link #close}.
     * <ul>
     *   <li>DuckDB {@code jdbc:duckdb:<file>}: parent directories are created; schema {@code main} unless given.
     *       Another process holding the file, or another open {@code Warehouse} on it in this JVM, is busy.</li>
     *   <li>PostgreSQL {@code jdbc:postgresql://...}: {@code schema} (default {@code public}) is created if missing;
     *       the lock is a session-level {@code pg_try_advisory_lock} keyed on the schema name.</li>
     *   <li>Other URLs use {@link GenericAnsiDialect} (no lock).</li>
     * </ul>
     *
     * @param user     may be null or empty (DuckDB ignores it)
     * @param password may be null or empty; never appears in messages
     * @param schema   null or blank for the dialect's default
     * @throws WarehouseBusyException        another run holds the warehouse
     * @throws WarehouseUnavailableException it cannot be reached or prepared (one-line reason, no password)
     * @throws IllegalArgumentException      the URL is not a JDBC URL
     */
    public static Warehouse open(String jdbcUrl, String user, String password, String schema) {
        return open(Dialect.forUrl(jdbcUrl), jdbcUrl, user, password, schema);
    }

    /**
     * Whether the warehouse of {@code jdbcUrl} is a file the {@code run} service releases between syncs (a DuckDB
     * file): then another process may have it open for a while, and the service waits for it rather than failing.
     */
    public static boolean releasesFile(String jdbcUrl) {
        return Dialect.forUrl(jdbcUrl).releasesFile(jdbcUrl);
    }

    /** Opens with an explicit dialect (tests run the generic fallback against a real database this way). */
    static Warehouse open(Dialect dialect, String jdbcUrl, String user, String password, String schema) {
        String s = schema == null || schema.isBlank() ? dialect.defaultSchema() : schema;
        Connection c = dialect.connect(jdbcUrl, user, password);
        AutoCloseable writerLock = null;
        try {
            c.setAutoCommit(true);
            writerLock = dialect.lockWriter(c, jdbcUrl, s);
            Warehouse w = new Warehouse(dialect, s, dialect.qualifier(c, s), c, writerLock, dialect.gate(jdbcUrl));
            w.url = jdbcUrl;
            w.lock.lock(); // other warehouses of the same DuckDB file may be writing
            try {
                w.prepare();
                SchemaMigration.migrate(w); // schema contract (#14): bring an existing warehouse to the declared schema
            } finally {
                w.lock.unlock();
            }
            w.gate.join(); // left in close(), which only an opened warehouse reaches
            LOG.info("Opened {} warehouse {} (schema {}): {} data tables", dialect.name(), Secrets.maskUrl(jdbcUrl), s,
                    w.model.tables().size());
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

    private static void closeQuietly(AutoCloseable lock, Connection c) {
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

    /**
     * Registers views to drop, inside the writing transaction, right before any column changes type (dependants
     * first). PostgreSQL refuses to change the type of a column a view reads, so the analytics layer has its views
     * dropped here and recreates them after the sync. If the transaction rolls back, so do the drops.
     */
    public void dropViewsBeforeTypeChange(java.util.function.Supplier<List<String>> viewNames) {
        this.beforeTypeChange = viewNames;
    }

    void runBeforeTypeChange() throws SQLException {
        for (String view : beforeTypeChange.get()) {
            execute(dropView(view));
        }
    }

    private String dropView(String view) {
        return "DROP VIEW IF EXISTS " + table(view);
    }

    /**
     * Replaces a set of views in one transaction (readers see the old set or the new one, never a mix): drops
     * {@code drop} in that order (dependants first, {@code IF EXISTS}), then creates each of {@code views} (name →
     * SELECT, in creation order). The SELECTs are the caller's read-only queries; the DDL is built here.
     */
    public void replaceViews(List<String> drop, Map<String, String> views) {
        inTransaction(tx -> {
            for (String view : drop) {
                execute(dropView(view));
            }
            for (Map.Entry<String, String> e : views.entrySet()) {
                execute("CREATE VIEW " + table(e.getKey()) + " AS\n" + e.getValue());
            }
            return null;
        });
    }

    /**
     * Pairs {@code keyColumn → valueColumn} of a table, rows with a null value left out; empty when the table or
     * either column does not exist (yet).
     */
    public Map<String, String> pairs(String table, String keyColumn, String valueColumn) {
        List<String> cols = columns(table);
        if (!cols.contains(keyColumn) || !cols.contains(valueColumn)) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (Map<String, Object> row : query("SELECT " + q(keyColumn) + " AS k, " + q(valueColumn) + " AS v FROM " + table(table))) {
            if (row.get("v") != null) {
                out.put(String.valueOf(row.get("k")), String.valueOf(row.get("v")));
            }
        }
        return out;
    }

    /**
     * Throws {@link WarehouseException} unless the warehouse answers a trivial query. While the file is released
     * between writes there is nothing to ask without taking it from its readers: the next {@link #hold} proves it.
     */
    public void ping() {
        lock.lock();
        try {
            if (session == null && !closed) {
                return;
            }
        } finally {
            lock.unlock();
        }
        query("SELECT 1 AS ok");
    }

    /**
     * From now on the session is closed whenever no {@link Hold} is taken, and reopened by the next {@link #hold}:
     * between syncs, readers (the {@code sql} and {@code report} commands, any read-only DuckDB client) can open the
     * file, which DuckDB allows one read-write process or many read-only ones at a time. Only where the dialect
     * has such a file ({@link Dialect#releasesFile}); elsewhere nothing changes and this answers false. The
     * in-process claim on the (file, schema) pair is kept: no second warehouse of this process takes it meanwhile.
     */
    public boolean releaseBetweenWrites() {
        if (!dialect.releasesFile(url)) {
            return false;
        }
        lock.lock();
        try {
            releaseWhenIdle = true;
            if (holds == 0 && session != null && !closed) {
                releaseSession();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Keeps the session open until the returned hold is closed, reopening the file first if it was released (the
     * bookkeeping tables are checked and what is known about the data tables is reloaded: another process may
     * have written the file meanwhile). Holds nest: the session closes when the last one is closed.
     *
     * @throws WarehouseBusyException another process has the file (a reader, or another writer)
     */
    public Hold hold() {
        lock.lock();
        try {
            ensureNotClosed();
            if (session == null) {
                reopen();
            }
            holds++;
            return new Hold();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the session is open now (false while released between writes, or closed). */
    public boolean isOpen() {
        lock.lock();
        try {
            return session != null && !closed;
        } finally {
            lock.unlock();
        }
    }

    /** A reason to keep the session open ({@link #hold}); closing it twice is harmless. */
    public final class Hold implements AutoCloseable {
        private boolean released;

        private Hold() {
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (released) {
                    return;
                }
                released = true;
                holds--;
                if (holds == 0 && releaseWhenIdle && session != null && !closed) {
                    releaseSession();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void reopen() {
        long started = System.nanoTime();
        Connection c = dialect.connect(url, null, null);
        try {
            c.setAutoCommit(true);
            session = c;
            writes = new WriteSession(dialect, c); // key filters and statements belong to one session
            model = null;
            prepare();
        } catch (SQLException | RuntimeException e) {
            session = null;
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
            session.close(); // the last session of the file closes the database: DuckDB checkpoints and unlocks it
        } catch (SQLException e) {
            LOG.warn("closing the warehouse session failed: {}", Secrets.oneLine(e.getMessage(), null));
        }
        session = null;
        LOG.info("warehouse file released in {} ms (schema {}): readers may open it", (System.nanoTime() - started) / 1_000_000, schema);
    }

    /**
     * Keeps the history of these streams' root rows in {@code <stream>__history} from now on ({@link HistoryTables}):
     * versions are written with the rows, and the next sync's first transaction creates a missing history table, seeded
     * with one version per existing row. Empty: no history is written (existing history tables are left as they are).
     */
    public void keepHistory(java.util.Collection<String> streams) {
        history.keep(streams);
    }

    HistoryTables history() {
        return history;
    }

    /** Uses {@code clock} for every timestamp the warehouse writes on its own (the connector's one clock). */
    public void useClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The instant on the warehouse's clock ({@link #useClock}; the system clock until then). */
    public Instant now() {
        return clock.instant();
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The schema holding every table of this warehouse. */
    @Override
    public String schema() {
        return schema;
    }

    /**
     * Runs {@code work} in one transaction and commits; if {@code work} (or the commit) throws, rolls back and
     * rethrows (unchecked exceptions as they are, checked ones wrapped in {@link WarehouseException}). After a
     * rollback nothing of the transaction remains: rows, appended stage data and schema changes are gone, and the
     * in-memory schema knowledge is reloaded from the database. Not reentrant: calling it from inside {@code work}
     * throws {@link IllegalStateException}. Other threads wait until the transaction ends.
     */
    public <T> T inTransaction(TxWork<T> work) {
        Objects.requireNonNull(work, "work");
        lock.lock();
        try {
            ensureOpen();
            if (current != null) {
                throw new IllegalStateException("inTransaction is not reentrant: use the WarehouseTx you were given");
            }
            dialect.begin(session);
            WarehouseTransaction tx = new WarehouseTransaction(this);
            current = tx;
            boolean committed = false;
            try {
                T result = work.run(tx);
                tx.end();
                dialect.commit(session);
                committed = true;
                writes.committed();
                gate.committed(session);
                return result;
            } catch (Throwable t) {
                if (!committed) {
                    rollbackAfter(t);
                    tx.rolledBack();
                }
                throw named(propagate(t));
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
            dialect.rollback(session);
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** A failed transaction's exception, named by its cause when that is a full disk. */
    private static RuntimeException named(RuntimeException failure) {
        WarehouseDiskFullException full = WarehouseDiskFullException.in(failure);
        return full == null ? failure : full;
    }

    private static RuntimeException propagate(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        String message = t instanceof SQLException ? "warehouse write failed: " + Secrets.oneLine(t.getMessage(), null)
                : t.toString();
        return new WarehouseException(message, t);
    }

    /** {@code _sync_state} of a stream as key → value (empty if none). Outside a transaction it sees committed state. */
    /**
     * Text values the dialect's {@link TextRule} changed before they were stored (NUL removed on PostgreSQL, unpaired
     * surrogates replaced), per table, in transactions committed since this warehouse opened. Bookkeeping statements'
     * own values are cleaned too but not counted.
     */
    public Map<String, Long> textCleaned() {
        return writes.cleaned();
    }

    public Map<String, String> readState(String stream) {
        return state.read(stream);
    }

    /**
     * {@code _processed} versions of {@code scope} for those of {@code ids} that are present (a version may be null).
     * Where the warehouse is the only writer, ids it never marked processed are answered without a query.
     */
    public Map<String, String> processedVersions(String scope, Collection<String> ids) {
        return processed.versions(scope, ids);
    }

    /** Number of rows of a table of this warehouse (0 if it does not exist). */
    @Override
    public long count(String table) {
        if (!tableExists(table)) {
            return 0;
        }
        return ((Number) query("SELECT count(*) AS n FROM " + table(table)).get(0).get("n")).longValue();
    }

    @Override
    public boolean tableExists(String table) {
        return !columns(table).isEmpty();
    }

    /** Column names of a table of this warehouse, in table order (empty if it does not exist). */
    @Override
    public List<String> columns(String table) {
        List<String> columns = new ArrayList<>();
        for (Map<String, Object> row : query("SELECT column_name FROM information_schema.columns WHERE "
                + dialect.catalogFilter("table_catalog") + "table_schema = ? AND table_name = ? ORDER BY ordinal_position", schema, table)) {
            columns.add((String) row.get("column_name"));
        }
        return columns;
    }

    /**
     * Runs a read-only query (values bound, never concatenated) and returns its rows as column label → value:
     * Long/Integer, Double, Boolean, String, and Instant for timestamps. Name tables with {@link #table}; use it for
     * small results.
     */
    @Override
    public List<Map<String, Object>> query(String sql, Object... binds) {
        requireQuery(sql);
        lock.lock();
        try {
            ensureOpen();
            try (PreparedStatement ps = session.prepareStatement(sql)) {
                for (int i = 0; i < binds.length; i++) {
                    dialect.bind(ps, i + 1, binds[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    List<Map<String, Object>> rows = new ArrayList<>();
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            int type = md.getColumnType(i);
                            boolean ts = type == Types.TIMESTAMP || type == Types.TIMESTAMP_WITH_TIMEZONE;
                            row.put(md.getColumnLabel(i), ts ? dialect.instant(rs, i) : rs.getObject(i));
                        }
                        rows.add(row);
                    }
                    return rows;
                }
            }
        } catch (SQLException e) {
            throw new WarehouseException("warehouse query failed: " + Secrets.oneLine(e.getMessage(), null), e);
        } finally {
            lock.unlock();
        }
    }

    /** The read-only port's guard: a query, not a statement that changes anything. */
    private static void requireQuery(String sql) {
        String head = sql.stripLeading();
        if (!head.regionMatches(true, 0, "SELECT", 0, 6) && !head.regionMatches(true, 0, "WITH", 0, 4)) {
            throw new IllegalArgumentException("a query must be a SELECT or WITH ... SELECT, not: "
                    + head.substring(0, Math.min(40, head.length())));
        }
    }

    /** Every table of this warehouse (data and bookkeeping), sorted by name. */
    @Override
    public List<String> tables() {
        return existingTables().stream().sorted().toList();
    }

    /** What {@code check} and logs may show: the dialect and the URL with any password masked. */
    @Override
    public String describe() {
        return dialect.name() + " " + Secrets.maskUrl(url) + " (schema " + schema + ")";
    }

    /** Proves the warehouse takes writes: creates, fills and drops a scratch table, in a transaction that is kept. */
    public void checkWritable() {
        String scratch = table("_connector_check");
        inTransaction(tx -> {
            execute("CREATE TABLE IF NOT EXISTS " + scratch + " (" + q("id") + " " + dialect.sqlType(ColumnType.VARCHAR) + ")");
            update("INSERT INTO " + scratch + " VALUES (?)", "check");
            execute("DROP TABLE " + scratch);
            return null;
        });
    }

    /** The run log ({@code _sync_runs}): one row per sync. */
    public RunLogStore runLog() {
        return runLog;
    }

    /** Releases the lock and the connection. Idempotent; waits for a running transaction to end. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (session == null) {
                closeQuietly(writerLock, null); // released between writes: only the in-process claim is left
                return;
            }
            gate.leave();
            writes.close();
            closeQuietly(writerLock, session);
        } finally {
            lock.unlock();
        }
    }

    // ---- package-private plumbing for WarehouseTransaction ----

    WriteSession writes() {
        return writes;
    }

    StateStore state() {
        return state;
    }

    ProcessedStore processed() {
        return processed;
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

    /** Column names of a table of this warehouse in physical order, straight from the catalog. */
    List<String> physicalColumns(String table) throws SQLException {
        try (PreparedStatement ps = session.prepareStatement("SELECT column_name FROM information_schema.columns WHERE "
                + dialect.catalogFilter("table_catalog") + "table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> columns = WriteSession.strings(rs);
                if (columns.isEmpty()) {
                    throw new SQLException("table " + table + " not found in schema " + schema);
                }
                return columns;
            }
        }
    }

    private void ensureOpen() {
        ensureNotClosed();
        if (session == null) {
            throw new WarehouseReleasedException("the warehouse file " + Secrets.maskUrl(url)
                    + " is released between syncs (take a hold to use it)");
        }
    }

    private void ensureNotClosed() {
        if (closed) {
            throw new IllegalStateException("warehouse is closed");
        }
    }

    Connection session() {
        return session;
    }

    boolean heldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    SchemaModel model() throws SQLException {
        if (model == null) {
            model = loadModel();
        }
        return model;
    }

    String q(String identifier) {
        return dialect.quote(identifier);
    }

    /** The qualified, quoted SQL name of a table of this warehouse, for queries such as {@link #query}. */
    @Override
    public String table(String name) {
        return qualifier + "." + dialect.quote(name);
    }

    void execute(String sql) throws SQLException {
        try (Statement s = session.createStatement()) {
            s.execute(sql);
        }
    }

    /** The single number a {@code SELECT count(*)} statement answers. */
    long countOf(String sql, Object... binds) throws SQLException {
        try (PreparedStatement ps = session.prepareStatement(sql)) {
            for (int i = 0; i < binds.length; i++) {
                dialect.bind(ps, i + 1, binds[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Applies schema changes (DDL and the name mapping, logged in {@code _schema_changes}) in the transaction in
     * progress on this thread, exactly as a write does: the {@link SchemaMigration}'s seam.
     */
    void applySchemaChanges(SchemaModel schemaModel, List<SchemaChange> changes) throws SQLException {
        schemaWriter().apply(schemaModel, changes);
    }

    /** The schema writer, for the transaction in progress on this thread. */
    SchemaWriter schemaWriter() {
        if (current == null || !lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("schema changes are applied inside inTransaction, on its thread");
        }
        return schemaWriter;
    }

    /** Bulk-appends rows with new keys to a table of this warehouse, inside the transaction in progress. */
    void append(String table, List<ColumnSchema> columns, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        List<String> physical = dialect.appendsWholeRows() ? writes.physicalColumns(table, this::physicalColumns) : null;
        dialect.append(session, table(table), schema, table, physical, columns, writes.clean(table, rows));
    }

    int update(String sql, Object... binds) throws SQLException {
        try (PreparedStatement ps = session.prepareStatement(sql)) {
            for (int i = 0; i < binds.length; i++) {
                dialect.bind(ps, i + 1, binds[i]);
            }
            return ps.executeUpdate();
        }
    }

    private Set<String> existingTables() {
        Set<String> names = new HashSet<>();
        for (Map<String, Object> row : query("SELECT table_name FROM information_schema.tables WHERE "
                + dialect.catalogFilter("table_catalog") + "table_schema = ?", schema)) {
            names.add((String) row.get("table_name"));
        }
        return names;
    }

    /** Creates the schema and the bookkeeping tables that are missing (checking first: IF NOT EXISTS still needs rights). */
    private void prepare() throws SQLException {
        boolean schemaExists = !query("SELECT schema_name FROM information_schema.schemata WHERE "
                + dialect.catalogFilter("catalog_name") + "schema_name = ?", schema).isEmpty();
        Set<String> existing = schemaExists ? existingTables() : Set.of();
        String v = dialect.sqlType(ColumnType.VARCHAR);
        String ts = dialect.sqlType(ColumnType.TIMESTAMP);
        String big = dialect.sqlType(ColumnType.BIGINT);
        Map<String, String> ddl = new LinkedHashMap<>();
        ddl.put(SYNC_STATE, q("stream") + " " + v + " NOT NULL, " + q("key") + " " + v + " NOT NULL, " + q("value") + " " + v
                + ", " + q("updated_at") + " " + ts + " NOT NULL, PRIMARY KEY (" + q("stream") + ", " + q("key") + ")");
        ddl.put(SYNC_RUNS, q("run_id") + " " + v + " NOT NULL PRIMARY KEY, " + q("command") + " " + v + ", " + q("started_at")
                + " " + ts + ", " + q("ended_at") + " " + ts + ", " + q("outcome") + " " + v + ", " + q("message") + " " + v
                + ", " + q("rows_written") + " " + v + ", " + q("requests") + " " + big + ", " + q("retries") + " " + big
                + ", " + q("details_not_found") + " " + big + ", " + q("records_rejected") + " " + big);
        ddl.put(SCHEMA_CHANGES, q("changed_at") + " " + ts + " NOT NULL, " + q("table_name") + " " + v + " NOT NULL, "
                + q("column_name") + " " + v + ", " + q("change") + " " + v + " NOT NULL, " + q("column_type") + " " + v + ", "
                + q("source_path") + " " + v + ", " + q("previous_type") + " " + v);
        ddl.put(PROCESSED, q("scope") + " " + v + " NOT NULL, " + q("id") + " " + v + " NOT NULL, " + q("version") + " " + v
                + ", " + q("processed_at") + " " + ts + " NOT NULL, PRIMARY KEY (" + q("scope") + ", " + q("id") + ")");
        ddl.put(SCHEMA_TABLES, q("table_name") + " " + v + " NOT NULL PRIMARY KEY, " + q("stream") + " " + v + " NOT NULL, "
                + q("parent_table") + " " + v + ", " + q("source_path") + " " + v + " NOT NULL, " + q("created_at") + " " + ts
                + " NOT NULL");
        ddl.put(SCHEMA_COLUMNS, q("table_name") + " " + v + " NOT NULL, " + q("column_name") + " " + v + " NOT NULL, "
                + q("source_path") + " " + v + " NOT NULL, " + q("column_type") + " " + v + " NOT NULL, " + q("ordinal") + " "
                + big + " NOT NULL, PRIMARY KEY (" + q("table_name") + ", " + q("column_name") + ")");
        if (schemaExists && existing.containsAll(ddl.keySet())) {
            model = loadModel();
            return;
        }
        inTransaction(tx -> {
            if (!schemaExists) {
                execute("CREATE SCHEMA IF NOT EXISTS " + qualifier);
            }
            for (Map.Entry<String, String> e : ddl.entrySet()) {
                if (!existing.contains(e.getKey())) {
                    execute("CREATE TABLE IF NOT EXISTS " + table(e.getKey()) + " (" + e.getValue() + ")");
                }
            }
            return null;
        });
        model = loadModel();
    }

    /** Rebuilds the schema model from {@code _schema_tables} / {@code _schema_columns} and the physical {@code _deleted} columns. */
    private SchemaModel loadModel() throws SQLException {
        SchemaModel m = new SchemaModel(BOOKKEEPING);
        List<Map<String, Object>> tables = query("SELECT table_name, stream, parent_table, source_path FROM "
                + table(SCHEMA_TABLES) + " ORDER BY table_name");
        // parents before children, whatever their names
        Map<String, String> pathByName = new HashMap<>();
        while (!tables.isEmpty()) {
            List<Map<String, Object>> waiting = new ArrayList<>();
            for (Map<String, Object> t : tables) {
                String parent = (String) t.get("parent_table");
                if (parent != null && !pathByName.containsKey(parent)) {
                    waiting.add(t);
                    continue;
                }
                String name = (String) t.get("table_name");
                m.restoreTable(name, (String) t.get("source_path"), (String) t.get("stream"), parent == null ? null : pathByName.get(parent));
                pathByName.put(name, (String) t.get("source_path"));
            }
            if (waiting.size() == tables.size()) {
                throw new SQLException(SCHEMA_TABLES + " names parents that do not exist: " + waiting);
            }
            tables = waiting;
        }
        for (Map<String, Object> c : query("SELECT table_name, column_name, source_path, column_type FROM "
                + table(SCHEMA_COLUMNS) + " ORDER BY table_name, ordinal")) {
            m.restoreColumn((String) c.get("table_name"), (String) c.get("column_name"), (String) c.get("source_path"),
                    ColumnType.valueOf((String) c.get("column_type")));
        }
        for (Map<String, Object> c : query("SELECT table_name FROM information_schema.columns WHERE " + dialect.catalogFilter("table_catalog")
                + "table_schema = ? AND column_name = ?", schema, TableSchema.DELETED)) {
            TableSchema t = m.tableNamed((String) c.get("table_name"));
            if (t != null && t.isRoot()) {
                t.markHasDeletedFlag();
            }
        }
        return m;
    }
}
