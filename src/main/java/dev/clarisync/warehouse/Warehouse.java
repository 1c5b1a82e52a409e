package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnSchema;
import dev.clarisync.schema.SchemaModel;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The warehouse: one DuckDB file or one PostgreSQL schema holding the stream tables and the bookkeeping tables
 * ({@link BookkeepingTables}). What callers hold; each role is a class of its own behind it:
 * <ul>
 *   <li>{@link WarehouseSession}: the one session (open, the single-writer lock, holds, transactions);</li>
 *   <li>{@link BookkeepingTables}: the bookkeeping tables, declared as data, created by the dialect's DDL;</li>
 *   <li>{@link SchemaModelLoader}: what is known about the data tables, rebuilt from the name mapping;</li>
 *   <li>{@link WarehouseReader}: read-only queries and the catalog;</li>
 *   <li>{@link ViewStore}: the views {@code report/} installs;</li>
 *   <li>the stores ({@link StateStore}, {@link ProcessedStore}, {@link RunLogStore}, ...) and
 *       {@link WarehouseTransaction}, the writer.</li>
 * </ul>
 * Every statement is the {@link Dialect}'s.
 *
 * <p>One {@code Warehouse} is the single writer of its warehouse for as long as it is open (see {@link #open}).
 * All methods are thread-safe; they are serialised, and a transaction excludes other threads.
 */
public final class Warehouse implements QueryPort, AutoCloseable {

    private final Dialect dialect;
    private final String schema;
    private final WarehouseSession session;
    private final WarehouseReader reader;
    private final ViewStore views = new ViewStore(this);
    private final RunLogStore runLog = new RunLogStore(this);
    private final StateStore state = new StateStore(this);
    private final ProcessedStore processed = new ProcessedStore(this);
    private final SchemaWriter schemaWriter = new SchemaWriter(this);
    private final HistoryTables history = new HistoryTables(this);
    /** The clock of every timestamp the warehouse writes on its own (processed_at, changed_at, updated_at, ...). */
    private volatile Clock clock = Clock.systemUTC();

    /** A warehouse on an opened, locked connection: {@link WarehouseSession#open} makes it and prepares it. */
    Warehouse(Dialect dialect, String url, String schema, String qualifier, Connection connection,
                      AutoCloseable writerLock) {
        this.dialect = dialect;
        this.schema = schema;
        this.session = new WarehouseSession(this, dialect, url, schema, connection, writerLock, dialect.gate(url));
        this.reader = new WarehouseReader(session, dialect, schema, qualifier);
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
        return WarehouseSession.open(dialect, jdbcUrl, user, password, schema);
    }

    /** Creates what is missing of the schema and the bookkeeping tables, and loads what is known about the data tables. */
    void prepare() throws SQLException {
        BookkeepingTables.prepare(this);
        session.reloadModel();
    }

    /**
     * Registers views to drop, inside the writing transaction, right before any column changes type (dependants
     * first). PostgreSQL refuses to change the type of a column a view reads, so the analytics layer has its views
     * dropped here and recreates them after the sync. If the transaction rolls back, so do the drops.
     */
    public void dropViewsBeforeTypeChange(Supplier<List<String>> viewNames) {
        views.dropBeforeTypeChange(viewNames);
    }

    void runBeforeTypeChange() throws SQLException {
        views.runBeforeTypeChange();
    }

    /**
     * Replaces a set of views in one transaction (readers see the old set or the new one, never a mix): drops
     * {@code drop} in that order (dependants first, {@code IF EXISTS}), then creates each of {@code views} (name →
     * SELECT, in creation order). The SELECTs are the caller's read-only queries; the DDL is the dialect's.
     */
    public void replaceViews(List<String> drop, Map<String, String> views) {
        this.views.replace(drop, views);
    }

    /**
     * Pairs {@code keyColumn → valueColumn} of a table, rows with a null value left out; empty when the table or
     * either column does not exist (yet).
     */
    public Map<String, String> pairs(String table, String keyColumn, String valueColumn) {
        return reader.pairs(table, keyColumn, valueColumn);
    }

    /**
     * Throws {@link WarehouseException} unless the warehouse answers a trivial query. While the file is released
     * between writes there is nothing to ask without taking it from its readers: the next {@link #hold} proves it.
     */
    public void ping() {
        if (!session.isReleased()) {
            query("SELECT 1 AS ok");
        }
    }

    /**
     * From now on the session is closed whenever no {@link Hold} is taken, and reopened by the next {@link #hold}:
     * between syncs, readers (the {@code sql} and {@code report} commands, any read-only DuckDB client) can open the
     * file, which DuckDB allows one read-write process or many read-only ones at a time. Only where the dialect
     * has such a file ({@link Dialect#releasesFile}); elsewhere nothing changes and this answers false. The
     * in-process claim on the (file, schema) pair is kept: no second warehouse of this process takes it meanwhile.
     */
    public boolean releaseBetweenWrites() {
        return session.releaseBetweenWrites();
    }

    /**
     * Keeps the session open until the returned hold is closed, reopening the file first if it was released (the
     * bookkeeping tables are checked and what is known about the data tables is reloaded: another process may
     * have written the file meanwhile). Holds nest: the session closes when the last one is closed.
     *
     * @throws WarehouseBusyException another process has the file (a reader, or another writer)
     */
    public Hold hold() {
        session.hold();
        return new Hold();
    }

    /** Whether the session is open now (false while released between writes, or closed). */
    public boolean isOpen() {
        return session.isOpen();
    }

    /** A reason to keep the session open ({@link #hold}); closing it twice is harmless. */
    public final class Hold implements AutoCloseable {
        private boolean released;

        private Hold() {
        }

        @Override
        public void close() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            session.letGo();
        }
    }

    /**
     * Keeps the history of these streams' root rows in {@code <stream>__history} from now on ({@link HistoryTables}):
     * versions are written with the rows, and the next sync's first transaction creates a missing history table, seeded
     * with one version per existing row. Empty: no history is written (existing history tables are left as they are).
     */
    public void keepHistory(Collection<String> streams) {
        history.keep(streams);
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
        return session.inTransaction(work);
    }

    /**
     * Text values the dialect's {@link TextRule} changed before they were stored (NUL removed on PostgreSQL, unpaired
     * surrogates replaced), per table, in transactions committed since this warehouse opened. Bookkeeping statements'
     * own values are cleaned too but not counted.
     */
    public Map<String, Long> textCleaned() {
        return session.writes().cleaned();
    }

    /** {@code _sync_state} of a stream as key → value (empty if none). Outside a transaction it sees committed state. */
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
        return reader.count(table);
    }

    @Override
    public boolean tableExists(String table) {
        return !columns(table).isEmpty();
    }

    /** Column names of a table of this warehouse, in table order (empty if it does not exist). */
    @Override
    public List<String> columns(String table) {
        return reader.columns(table);
    }

    /**
     * Runs a read-only query (values bound, never concatenated) and returns its rows as column label → value:
     * Long/Integer, Double, Boolean, String, and Instant for timestamps. Name tables with {@link #table}; use it for
     * small results.
     */
    @Override
    public List<Map<String, Object>> query(String sql, Object... binds) {
        return reader.query(sql, binds);
    }

    /** Every table of this warehouse (data and bookkeeping), sorted by name. */
    @Override
    public List<String> tables() {
        return reader.existingTables().stream().sorted().toList();
    }

    /** What {@code check} and logs may show: the dialect and the URL with any password masked. */
    @Override
    public String describe() {
        return dialect.name() + " " + Secrets.maskUrl(session.url()) + " (schema " + schema + ")";
    }

    /** Proves the warehouse takes writes: creates, fills and drops a scratch table, in a transaction that is kept. */
    public void checkWritable() {
        BookkeepingTables.checkWritable(this);
    }

    /** The run log ({@code _sync_runs}): one row per sync. */
    public RunLogStore runLog() {
        return runLog;
    }

    /** Releases the lock and the connection. Idempotent; waits for a running transaction to end. */
    @Override
    public void close() {
        session.close();
    }

    /** The qualified, quoted SQL name of a table of this warehouse, for queries such as {@link #query}. */
    @Override
    public String table(String name) {
        return reader.table(name);
    }

    // ---- package-private plumbing for the stores, the writer and the schema migration ----

    /** The quoted prefix of this warehouse's table names (what {@code CREATE SCHEMA} takes). */
    String qualifier() {
        return reader.qualifier();
    }

    /** The session ({@link WarehouseSession#open} prepares the warehouse through it). */
    WarehouseSession sessionRole() {
        return session;
    }

    WriteSession writes() {
        return session.writes();
    }

    StateStore state() {
        return state;
    }

    ProcessedStore processed() {
        return processed;
    }

    HistoryTables history() {
        return history;
    }

    /** Runs {@code work} on the session, between other threads' transactions; SQL failures become a {@link WarehouseException}. */
    <T> T withSession(WarehouseSession.SqlWork<T> work) {
        return session.withSession(work);
    }

    /** Column names of a table of this warehouse in physical order, straight from the catalog. */
    List<String> physicalColumns(String table) throws SQLException {
        return reader.physicalColumns(table);
    }

    Connection session() {
        return session.connection();
    }

    boolean heldByCurrentThread() {
        return session.heldByCurrentThread();
    }

    SchemaModel model() throws SQLException {
        return session.model();
    }

    String q(String identifier) {
        return dialect.quote(identifier);
    }

    void execute(String sql) throws SQLException {
        session.execute(sql);
    }

    /** The single number a {@code SELECT count(*)} statement answers. */
    long countOf(String sql, Object... binds) throws SQLException {
        return session.countOf(sql, binds);
    }

    int update(String sql, Object... binds) throws SQLException {
        return session.update(sql, binds);
    }

    /** The schema writer, for the transaction in progress on this thread. */
    SchemaWriter schemaWriter() {
        if (!session.inTransactionOnThisThread()) {
            throw new IllegalStateException("schema changes are applied inside inTransaction, on its thread");
        }
        return schemaWriter;
    }

    /** Bulk-appends rows with new keys to a table of this warehouse, inside the transaction in progress. */
    void append(String table, List<ColumnSchema> columns, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        WriteSession writes = session.writes();
        dialect.append(session.connection(), table(table), schema, table, () -> writes.physicalColumns(table, this::physicalColumns),
                columns, writes.clean(table, rows));
    }
}
