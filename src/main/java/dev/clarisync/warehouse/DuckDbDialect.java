package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnSchema;
import dev.clarisync.schema.ColumnType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * DuckDB (embedded, one file). Types: BIGINT, DOUBLE, BOOLEAN, TIMESTAMP (naive, holding UTC), VARCHAR.
 *
 * <p>Facts this class relies on (verified against duckdb_jdbc 2.0.0.1 by the contract tests):
 * <ul>
 *   <li>The appender only joins a transaction that is already <em>active</em>. With JDBC
 *       {@code setAutoCommit(false)} the driver starts a transaction lazily at the next statement, so an appender
 *       used first would commit its rows on its own. {@link #begin} therefore runs a statement right away. (An
 *       explicit {@code BEGIN TRANSACTION} in auto-commit mode is no alternative: {@code executeBatch} then fails
 *       with "cannot start a transaction within a transaction".)</li>
 *   <li>A file can be open in one process only ("Could not set lock on file ... (PID n)"), which is the
 *       cross-process writer lock. Inside one JVM a second connection silently shares the open database, so a
 *       process-wide registry of open (file, schema) pairs stands in for the lock there: several workspaces write
 *       their own schemas of one file from one process (issue 16), each through its own session; the same schema
 *       twice is busy.</li>
 *   <li>The session connection is held for the warehouse's life, so the file is never closed and reopened between
 *       transactions (no pool or {@code jdbc_pin_db} needed), and closing it releases the file.</li>
 *   <li>The catalog is named after the file ({@code clari.duckdb} → {@code clari}), so a schema of the same name
 *       would be ambiguous: names are qualified as catalog.schema.table ({@link #qualifier}).</li>
 *   <li>Delete-then-insert of the same primary key in one transaction works (2.0 has no "over-eager unique
 *       constraint" problem).</li>
 *   <li>An index (a PRIMARY KEY's too) stays in memory, counted against {@code memory_limit} and never evicted: with
 *       a key on every child table, memory grew with the data (transcripts are ~45 rows a call) until a commit failed
 *       with "failed to pin block" (100,000 calls at 64MiB). Child tables therefore declare no key
 *       ({@link #declaresChildKeys}); only root tables (one row a call) are indexed.</li>
 * </ul>
 */
public final class DuckDbDialect implements Dialect {

    static final String PREFIX = "jdbc:duckdb:";
    /**
     * Settings for the writer's session; a URL option of the same name wins. The sync writes many small transactions
     * on one connection, so:
     * <ul>
     *   <li>{@code threads=1}: its statements are small; more threads only add scheduling, and the connector's own
     *       threads (HTTP, JSON) need the cores;</li>
     *   <li>{@code checkpoint_threshold=64MiB} (DuckDB: 16MiB): every checkpoint rewrites the last, partly filled row
     *       group of each table written since the previous one, so checkpointing a quarter as often roughly halves the
     *       time commits spend in checkpoints. A checkpoint needs memory for what it writes: when the URL caps
     *       {@code memory_limit}, the threshold is at most a quarter of it (at least 16MiB), because a
     *       checkpoint that cannot allocate invalidates the database for the rest of the process.</li>
     * </ul>
     */
    static final Map<String, String> DEFAULT_SETTINGS = Map.of("threads", "1", "checkpoint_threshold", "64MiB");
    private static final long MB = 1L << 20; // a MiB
    private static final Pattern MEMORY = Pattern.compile("(?i)[;?&]memory_limit=([0-9.]+)\\s*([kmgt]?i?b?)");
    private static final Pattern LOCK_PID = Pattern.compile("\\(PID (\\d+)\\)");
    /** Canonical file path and schema of each warehouse open in this JVM ({@code /path/clari.duckdb#acme}). */
    private static final Set<String> OPEN_SCHEMAS = ConcurrentHashMap.newKeySet();
    /** The gate of each database file open in this JVM, shared by all its schemas' warehouses ({@link DuckDbFileGate}). */
    private static final Map<Path, DuckDbFileGate> GATES = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public String defaultSchema() {
        return "main";
    }

    /** The database file of a DuckDB URL, or null for an in-memory database. */
    static Path file(String jdbcUrl) {
        String rest = jdbcUrl.substring(PREFIX.length());
        int cut = rest.indexOf(';');
        if (rest.indexOf('?') >= 0 && (cut < 0 || rest.indexOf('?') < cut)) {
            cut = rest.indexOf('?');
        }
        String file = cut >= 0 ? rest.substring(0, cut) : rest;
        if (file.isEmpty() || file.startsWith(":memory:")) {
            return null;
        }
        return Path.of(file).toAbsolutePath().normalize();
    }

    @Override
    public Connection connect(String jdbcUrl, String user, String password) {
        Path file = file(jdbcUrl);
        try {
            if (file != null && file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
        } catch (IOException e) {
            throw new WarehouseUnavailableException("cannot create the directory of the DuckDB file " + file + ": " + e, e);
        }
        try {
            return DriverManager.getConnection(jdbcUrl, settings(jdbcUrl));
        } catch (SQLException e) {
            String message = Secrets.oneLine(e.getMessage(), password);
            if (message.contains("Could not set lock on file")) {
                Matcher pid = LOCK_PID.matcher(message);
                throw new WarehouseBusyException("DuckDB file " + file + " is locked by "
                        + (pid.find() ? "process " + pid.group(1) : "another process"));
            }
            throw new WarehouseUnavailableException("cannot open DuckDB warehouse " + Secrets.maskUrl(jdbcUrl) + ": " + message, e);
        }
    }

    /**
     * DuckDB settings of the connector's session, each unless the URL sets it ({@code jdbc:duckdb:file;threads=4}):
     * see {@link #DEFAULT_SETTINGS}.
     */
    static Properties settings(String jdbcUrl) {
        String options = jdbcUrl.toLowerCase(Locale.ROOT);
        Properties props = new Properties();
        DEFAULT_SETTINGS.forEach((key, value) -> {
            if (!options.matches(".*[;?&]" + Pattern.quote(key) + "=.*")) {
                props.setProperty(key, value);
            }
        });
        Long limit = memoryLimitBytes(jdbcUrl);
        if (limit != null && props.containsKey("checkpoint_threshold")) {
            long threshold = Math.max(16 * MB, Math.min(64 * MB, limit / 4));
            props.setProperty("checkpoint_threshold", (threshold / MB) + "MiB");
        }
        return props;
    }

    /** The {@code memory_limit} a URL sets, in bytes (DuckDB units: KB/MB/GB/TB powers of 1000, KiB/MiB/GiB of 1024). */
    static Long memoryLimitBytes(String jdbcUrl) {
        Matcher m = MEMORY.matcher(jdbcUrl);
        if (!m.find()) {
            return null;
        }
        return bytes(m.group(1), m.group(2));
    }

    /** {@code number} of {@code unit} in bytes: none or B, KB/MB/GB/TB/PB (powers of 1000), KiB/MiB/... (of 1024). */
    static long bytes(String number, String unit) {
        String u = unit.toLowerCase(Locale.ROOT);
        double base = u.contains("i") ? 1024 : 1000;
        int power = u.isEmpty() || u.equals("b") ? 0 : "kmgtp".indexOf(u.charAt(0)) + 1;
        return (long) (Double.parseDouble(number) * Math.pow(base, power));
    }

    @Override
    public AutoCloseable lockWriter(Connection session, String jdbcUrl, String schema) {
        Path file = file(jdbcUrl);
        if (file == null) {
            return () -> { }; // an in-memory database belongs to its connection alone
        }
        String key = canonical(file) + "#" + schema;
        if (!OPEN_SCHEMAS.add(key)) {
            throw new WarehouseBusyException("DuckDB file " + file + " (schema " + schema + ") is already open as a warehouse in this process");
        }
        return () -> OPEN_SCHEMAS.remove(key);
    }

    @Override
    public SessionGate gate(String jdbcUrl) {
        Path file = file(jdbcUrl);
        return file == null ? new SessionGate() : GATES.computeIfAbsent(canonical(file), f -> new DuckDbFileGate(f.toString()));
    }

    private static Path canonical(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file;
        }
    }

    @Override
    public String sqlType(ColumnType type) {
        return switch (type) {
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "TIMESTAMP";
            case VARCHAR, JSON -> "VARCHAR";
        };
    }

    @Override
    public String toText(String column, ColumnType from) {
        if (from == ColumnType.TIMESTAMP) {
            // milliseconds like the API when the value has no finer digits, microseconds otherwise
            return "CASE WHEN microsecond(" + column + ") % 1000 = 0 THEN strftime(" + column
                    + ", '%Y-%m-%dT%H:%M:%S.%gZ') ELSE strftime(" + column + ", '%Y-%m-%dT%H:%M:%S.%fZ') END";
        }
        return "CAST(" + column + " AS VARCHAR)";
    }

    @Override
    public MergeStrategy mergeStrategy() {
        return MergeStrategy.ON_CONFLICT;
    }

    @Override
    public String qualifier(Connection session, String schema) throws SQLException {
        try (Statement s = session.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return quote(rs.getString(1)) + "." + quote(schema);
        }
    }

    @Override
    public void begin(Connection c) throws SQLException {
        c.setAutoCommit(false);
        // makes the lazily started transaction active now, so an appender used first joins it
        try (Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
    }

    @Override
    public void rollback(Connection c) throws SQLException {
        try {
            c.rollback();
        } catch (SQLException e) {
            // A failed COMMIT (a full disk) has ended the transaction inside DuckDB already, but the driver still believes
            // one runs and so never begins another: every later transaction would run statement by statement in
            // auto-commit, beyond any rollback, and fail at its COMMIT ("cannot commit - no transaction is active").
            // Beginning one where the driver believes it runs, and rolling that back, makes the two agree again.
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN TRANSACTION");
            }
            c.rollback();
        } finally {
            c.setAutoCommit(true);
        }
    }

    @Override
    public String createStage(String stage, String columnDefinitions) {
        return "CREATE TEMP TABLE " + quote(stage) + " (" + columnDefinitions + ")";
    }

    @Override
    public String createReusableStage(String stage, String columnDefinitions) {
        return createStage(stage, columnDefinitions);
    }

    /** A DuckDB file (not an in-memory database): one read-write process or many read-only ones at a time. */
    @Override
    public boolean releasesFile(String jdbcUrl) {
        return file(jdbcUrl) != null;
    }

    /** Only this session writes the file while the warehouse is open (see the class comment): keys are remembered. */
    @Override
    public KeyPresence keyPresence() {
        return KeyPresence.REMEMBERED;
    }

    /** No: see the class comment (indexes are pinned in memory); the writer keeps (_parent_id, _idx) unique. */
    @Override
    public boolean declaresChildKeys() {
        return false;
    }

    @Override
    public void load(Connection c, String stage, List<ColumnSchema> columns, List<Object[]> rows) throws SQLException {
        int[] all = new int[columns.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        try (DuckDBAppender appender = c.unwrap(DuckDBConnection.class).createAppender("temp", "main", stage)) {
            appendRows(appender, columns, all, rows);
        }
    }

    /**
     * The appender writes whole rows in the table's physical column order: each physical column takes the value of
     * the given column of that name, or NULL.
     */
    @Override
    public void append(Connection c, String qualified, String schema, String table, PhysicalColumns physicalColumns,
                       List<ColumnSchema> columns, List<Object[]> rows) throws SQLException {
        List<String> physical = physicalColumns.get();
        int[] source = new int[physical.size()];
        int matched = 0;
        for (int p = 0; p < source.length; p++) {
            source[p] = -1;
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equals(physical.get(p))) {
                    source[p] = i;
                    matched++;
                    break;
                }
            }
        }
        if (matched != columns.size()) {
            throw new SQLException("cannot append to " + qualified + ": columns " + columns.stream().map(ColumnSchema::name).toList()
                    + " are not all among its columns " + physical);
        }
        try (DuckDBAppender appender = c.unwrap(DuckDBConnection.class).createAppender(schema, table)) {
            appendRows(appender, columns, source, rows);
        }
    }

    /**
     * Appends rows, physical column {@code p} taking {@code row[source[p]]} (NULL when {@code source[p] < 0}), then
     * flushes explicitly: {@code DuckDBAppender.close()} swallows a failed flush (a duplicate key, say) and the
     * transaction would then commit without the rows, so the failure must surface here.
     */
    private static void appendRows(DuckDBAppender appender, List<ColumnSchema> columns, int[] source, List<Object[]> rows)
            throws SQLException {
        ColumnType[] types = new ColumnType[source.length];
        for (int p = 0; p < source.length; p++) {
            types[p] = source[p] < 0 ? null : columns.get(source[p]).type();
        }
        for (Object[] row : rows) {
            appender.beginRow();
            for (int p = 0; p < source.length; p++) {
                Object v = source[p] < 0 ? null : row[source[p]];
                if (v == null) {
                    appender.appendNull();
                    continue;
                }
                // appended values must match the column type exactly
                switch (types[p]) {
                    case BIGINT -> appender.append(((Long) v).longValue());
                    case DOUBLE -> appender.append(((Double) v).doubleValue());
                    case BOOLEAN -> appender.append(((Boolean) v).booleanValue());
                    case TIMESTAMP -> appender.appendEpochMicros(epochMicros((Instant) v));
                    case VARCHAR, JSON -> appender.append((String) v);
                }
            }
            appender.endRow();
        }
        appender.flush();
    }

    static long epochMicros(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
    }

    @Override
    public void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value instanceof Instant i) {
            ps.setObject(index, LocalDateTime.ofInstant(i, ZoneOffset.UTC));
        } else {
            ps.setObject(index, textRule().cleanValue(value));
        }
    }

    @Override
    public Instant instant(ResultSet rs, int index) throws SQLException {
        LocalDateTime t = rs.getObject(index, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
