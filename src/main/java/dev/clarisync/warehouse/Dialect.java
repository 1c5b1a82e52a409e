package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnSchema;
import dev.clarisync.schema.ColumnType;
import dev.clarisync.schema.TableSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Everything that differs between databases, in one place. The {@link Warehouse} writes the same plan on every
 * database: evolve the schema with DDL, load each table's batch into a temporary <em>stage</em> table, then
 * merge it with set-based SQL.
 *
 * <p>Contract shared by all implementations:
 * <ul>
 *   <li>Identifiers are always quoted ({@link #quote}), so reserved words and any name produced by
 *       {@link dev.clarisync.schema.Naming} work. Values never appear in SQL text: they are bound or streamed
 *       ({@link #bind}, {@link #load}), so any string round-trips exactly, except what the dialect's one
 *       {@link #textRule} changes (text the database cannot hold).</li>
 *   <li>Logical types map to physical types ({@link #sqlType}); TIMESTAMP holds an instant in UTC and reads back
 *       as the same {@link Instant} ({@link #instant}). JSON is stored as text.</li>
 *   <li>{@link #begin}/{@link #commit}/{@link #rollback} delimit a transaction that covers every statement and
 *       every {@link #load} on the connection in between, DDL included; inside it the connection is in JDBC
 *       manual-commit mode, outside in auto-commit mode.</li>
 *   <li>{@link #lockWriter} makes the caller the single writer of a warehouse until the returned handle is closed
 *       or the connection ends, or throws {@link WarehouseBusyException}.</li>
 * </ul>
 * Implementations are stateless apart from process-wide lock bookkeeping, and thread-safe.
 */
public interface Dialect extends CatalogStatements, WriterStatements {

    /** The dialect for a JDBC URL: DuckDB, PostgreSQL, or the {@link GenericAnsiDialect} fallback. */
    static Dialect forUrl(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("warehouse.url must be a JDBC URL (jdbc:duckdb:<file> or "
                    + "jdbc:postgresql://host/db), got: " + Secrets.maskUrl(jdbcUrl));
        }
        if (jdbcUrl.startsWith(DuckDbDialect.PREFIX)) {
            return new DuckDbDialect();
        }
        if (jdbcUrl.startsWith(PostgresDialect.PREFIX)) {
            return new PostgresDialect();
        }
        return new GenericAnsiDialect();
    }

    /** Short name for logs ("duckdb", "postgresql", "generic"). */
    String name();

    /** Schema used when none is configured. */
    String defaultSchema();

    /**
     * Opens the session connection for {@code jdbcUrl}. Throws {@link WarehouseBusyException} if the database
     * itself reports that another process holds it, {@link WarehouseUnavailableException} (one line, no
     * password) for any other failure.
     */
    Connection connect(String jdbcUrl, String user, String password);

    /**
     * Takes the single-writer lock of {@code schema} for this session; closing the handle (or the connection)
     * releases it. Throws {@link WarehouseBusyException} when another writer holds it.
     */
    AutoCloseable lockWriter(Connection session, String jdbcUrl, String schema) throws SQLException;

    /** What a warehouse on {@code jdbcUrl} shares with the others of this process: by default, nothing. */
    default SessionGate gate(String jdbcUrl) {
        return new SessionGate();
    }

    /** Double-quoted identifier; embedded double quotes are doubled. */
    @Override
    default String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * The quoted prefix that qualifies table names of {@code schema} (the warehouse appends {@code .<table>}); also
     * what {@code CREATE SCHEMA} takes. Asked once when the warehouse opens.
     */
    default String qualifier(Connection session, String schema) throws SQLException {
        return quote(schema);
    }

    /** The physical type of a logical column type. */
    @Override
    String sqlType(ColumnType type);

    /**
     * A SQL expression that turns {@code column} (quoted, of logical type {@code from}) into text without losing
     * its value; used when widening a column to VARCHAR. Timestamps become ISO-8601 UTC text
     * ({@code 2025-06-10T15:00:00.000Z}, microseconds when present).
     */
    String toText(String column, ColumnType from);

    /** DDL that changes the type of {@code column} of {@code table} (both quoted) to {@code to}, converting with {@code using}. */
    default String alterType(String table, String column, ColumnType to, String using) {
        return "ALTER TABLE " + table + " ALTER COLUMN " + column + " SET DATA TYPE " + sqlType(to) + " USING " + using;
    }

    /**
     * Whether a child table declares its ({@code _parent_id}, {@code _idx}) key as a PRIMARY KEY. The key holds either
     * way: the writer replaces all child rows of a rewritten parent in the same transaction.
     */
    default boolean declaresChildKeys() {
        return true;
    }

    /**
     * DDL that creates a data table ({@code table} qualified, quoted) and what goes with it: the system columns
     * NOT NULL, then the first data columns; a root table keyed on {@code _id}, a child table on ({@code _parent_id},
     * {@code _idx}) where the dialect {@link #declaresChildKeys}, then {@link #childTableIndexes}.
     */
    default List<String> createDataTable(String table, List<ColumnSchema> systemColumns, List<ColumnSchema> columns, boolean root) {
        List<String> parts = new java.util.ArrayList<>();
        systemColumns.forEach(c -> parts.add(quote(c.name()) + " " + sqlType(c.type()) + " NOT NULL"));
        columns.forEach(c -> parts.add(quote(c.name()) + " " + sqlType(c.type())));
        if (root) {
            parts.add("PRIMARY KEY (" + quote(TableSchema.ID) + ")");
        } else if (declaresChildKeys()) {
            parts.add("PRIMARY KEY (" + quote(TableSchema.PARENT_ID) + ", " + quote(TableSchema.IDX) + ")");
        }
        List<String> ddl = new java.util.ArrayList<>(List.of("CREATE TABLE " + table + " (" + String.join(", ", parts) + ")"));
        if (!root) {
            ddl.addAll(childTableIndexes(table, quote(TableSchema.ROOT_ID)));
        }
        return ddl;
    }

    /** Extra DDL run after a child table is created (e.g. an index for deletes by {@code _root_id}). */
    default List<String> childTableIndexes(String table, String rootIdColumn) {
        return List.of();
    }

    // ---- plain statements: the warehouse's stores and the schema migration build their SQL here ----

    /** {@code INSERT INTO table (columns) VALUES (?, ...)}: one parameter per column, in order. */
    default String insert(String table, String... columns) {
        return "INSERT INTO " + table + " (" + quoteAll(", ", columns) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(columns.length, "?")) + ")";
    }

    /** {@code UPDATE table SET c = ?, ... WHERE k = ? AND ...}: parameters are the set values, then the keys. */
    default String update(String table, List<String> set, String... keys) {
        return "UPDATE " + table + " SET " + set.stream().map(c -> quote(c) + " = ?").collect(java.util.stream.Collectors.joining(", "))
                + where(keys);
    }

    /**
     * {@code UPDATE table SET c = ?, ..., n = n + ? WHERE k = ? AND ...}: parameters are the set values, the amount
     * added to the counter {@code n}, then the keys.
     */
    default String updateAdding(String table, List<String> set, String counter, String... keys) {
        String assignments = set.stream().map(c -> quote(c) + " = ?, ").collect(java.util.stream.Collectors.joining());
        return "UPDATE " + table + " SET " + assignments + quote(counter) + " = " + quote(counter) + " + ?" + where(keys);
    }

    /** {@code DELETE FROM table WHERE column IN (?, ...)}: {@code n} parameters. */
    default String deleteIn(String table, String column, int n) {
        return "DELETE FROM " + table + " WHERE " + quote(column) + " IN (" + String.join(", ", java.util.Collections.nCopies(n, "?")) + ")";
    }

    /** {@code DELETE FROM table WHERE column <> ?}. */
    default String deleteAllBut(String table, String column) {
        return "DELETE FROM " + table + " WHERE " + quote(column) + " <> ?";
    }

    /** {@code DELETE FROM table WHERE k = ? AND ...}: one parameter per key. */
    default String delete(String table, String... keys) {
        return "DELETE FROM " + table + where(keys);
    }

    /** {@code SELECT columns FROM table WHERE k = ? AND ...} (no WHERE without keys). */
    default String select(String table, List<String> columns, String... keys) {
        return "SELECT " + quoteAll(", ", columns.toArray(String[]::new)) + " FROM " + table + where(keys);
    }

    private String where(String... keys) {
        return keys.length == 0 ? "" : " WHERE " + java.util.Arrays.stream(keys).map(k -> quote(k) + " = ?")
                .collect(java.util.stream.Collectors.joining(" AND "));
    }

    private String quoteAll(String separator, String... names) {
        return java.util.Arrays.stream(names).map(this::quote).collect(java.util.stream.Collectors.joining(separator));
    }

    /** DDL that adds {@code column} of logical type {@code type} to {@code table} (both quoted). */
    default String addColumn(String table, String column, ColumnType type) {
        return "ALTER TABLE " + table + " ADD COLUMN " + column + " " + sqlType(type);
    }

    /** DDL that drops {@code column} of {@code table} (both quoted). */
    default String dropColumn(String table, String column) {
        return "ALTER TABLE " + table + " DROP COLUMN " + column;
    }

    /** DDL that drops {@code view} (qualified, quoted) and every view reading it. */
    default String dropViewCascade(String view) {
        return "DROP VIEW IF EXISTS " + view + " CASCADE";
    }

    /**
     * A count of the rows of {@code table} whose {@code column} (both quoted) lies above the first parameter or below
     * the second (the schema rule binds 2^53 and -2^53: whether a BIGINT column can become DOUBLE exactly).
     */
    default String countOutside(String table, String column) {
        return "SELECT count(*) FROM " + table + " WHERE " + column + " > ? OR " + column + " < ?";
    }

    /** A count of the rows of {@code table} whose JSON text {@code column} (both quoted) holds something other than {@code []}. */
    default String countNonEmptyJsonArrays(String table, String column) {
        return "SELECT count(*) FROM " + table + " WHERE " + column + " IS NOT NULL AND " + column + " <> '[]'";
    }

    /**
     * A query naming the views that read a column (parameters: schema, table, column; one {@code view_name} per row),
     * for a database that refuses to drop or retype a column a view reads; null where that is allowed.
     */
    default String viewsReadingColumn() {
        return null;
    }

    /** How this database merges rows whose keys a table may hold ({@link #merge}). */
    MergeStrategy mergeStrategy();

    /**
     * The one merge: statements that put the rows of {@code source} into {@code target}, replacing the row of any key
     * that exists. {@code source} is a SELECT whose output columns are {@code columns}, in order, named as the target's
     * columns (it may hold bind parameters: every statement returned is run with the same values). A replaced row
     * gets exactly the source's values: target columns in {@code targetColumns} that are not in {@code columns}
     * become NULL. The statements are the dialect's {@link #mergeStrategy}'s.
     *
     * @param target        qualified, quoted table name
     * @param targetColumns every column of the target (unquoted)
     */
    default List<String> merge(String target, List<String> targetColumns, List<String> columns, List<String> keys, String source) {
        return mergeStrategy().statements(this, target, targetColumns, columns, keys, source);
    }

    /** Starts a transaction on a connection in auto-commit mode. */
    default void begin(Connection c) throws SQLException {
        c.setAutoCommit(false);
    }

    /** Commits and returns the connection to auto-commit mode. */
    default void commit(Connection c) throws SQLException {
        c.commit();
        c.setAutoCommit(true);
    }

    /** Rolls back and returns the connection to auto-commit mode. */
    default void rollback(Connection c) throws SQLException {
        try {
            c.rollback();
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** DDL for a temporary stage table (visible only to this session) with these column definitions. */
    String createStage(String stage, String columnDefinitions);

    /**
     * DDL for a temporary stage table (visible only to this session) that outlives transactions: the writer creates
     * one per column set and reuses it page after page, emptying it ({@link #clearStage}) in the transaction that
     * filled it. Created inside a transaction, it disappears with a rollback.
     */
    default String createReusableStage(String stage, String columnDefinitions) {
        return "CREATE TEMPORARY TABLE " + quote(stage) + " (" + columnDefinitions + ")";
    }

    /** SQL that empties a stage table. */
    default String clearStage(String stage) {
        return "DELETE FROM " + quote(stage);
    }

    /** How the writer learns whether a table may hold some keys already ({@link KeyPresence}); by default it assumes so. */
    default KeyPresence keyPresence() {
        return KeyPresence.ASSUMED;
    }

    /**
     * Whether the warehouse of {@code jdbcUrl} is a file that one process at a time may open for writing and that
     * the connector therefore closes between syncs in {@code run} mode ({@link Warehouse#releaseBetweenWrites}), so
     * readers can open it meanwhile. A server database takes readers beside its writer: false.
     */
    default boolean releasesFile(String jdbcUrl) {
        return false;
    }

    /** A table's column names in physical order, looked up only by a dialect that needs them ({@link #append}). */
    @FunctionalInterface
    interface PhysicalColumns {
        List<String> get() throws SQLException;
    }

    /**
     * Appends rows to a table of the warehouse inside the current transaction: the bulk path for rows whose keys
     * the table does not hold (a duplicate key fails the statement, and with it the transaction). Columns of the
     * table missing from {@code columns} get NULL.
     *
     * @param qualified the quoted, qualified table name
     * @param schema    the table's schema, unquoted
     * @param table     the table's name, unquoted
     * @param physical  every column name of the table in physical order, for a dialect whose appender writes whole rows
     * @param columns   the columns of {@code rows}, in row order (values as in {@link #load})
     */
    void append(Connection c, String qualified, String schema, String table, PhysicalColumns physical,
                List<ColumnSchema> columns, List<Object[]> rows) throws SQLException;

    /**
     * Appends {@code rows} to the stage table {@code stage} (created by {@link #createStage}) inside the current
     * transaction. Each row holds one value per column, already converted for the column's logical type:
     * Long, Double, Boolean, Instant, String, or null.
     */
    void load(Connection c, String stage, List<ColumnSchema> columns, List<Object[]> rows) throws SQLException;

    /**
     * What this database does to text it cannot hold, applied to every value before it is bound or loaded: the
     * warehouse cleans rows before {@link #load} and {@link #append} (and counts what changed), {@link #bind} cleans
     * what it binds. Default: {@link TextRule#UNICODE} (text is kept as it came, NUL included; only unpaired
     * surrogates, which no UTF-8 store can hold, become U+FFFD).
     */
    default TextRule textRule() {
        return TextRule.UNICODE;
    }

    /**
     * Binds one value (as in {@link #load}; Instant for timestamps, bound as a UTC OffsetDateTime) to a parameter;
     * text is cleaned by {@link #textRule} first.
     */
    default void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        ps.setObject(index, value instanceof Instant i ? OffsetDateTime.ofInstant(i, ZoneOffset.UTC) : textRule().cleanValue(value));
    }

    /** Reads a TIMESTAMP column as an Instant (null for SQL NULL). */
    default Instant instant(ResultSet rs, int index) throws SQLException {
        OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /**
     * Opens a connection with {@code user}/{@code password} (when not empty) and extra driver properties; failures
     * become a {@link WarehouseUnavailableException} with a one-line, password-free reason.
     */
    static Connection connect(String jdbcUrl, String user, String password, Map<String, String> properties) {
        Properties props = new Properties();
        if (user != null && !user.isEmpty()) {
            props.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        properties.forEach(props::setProperty);
        try {
            return DriverManager.getConnection(jdbcUrl, props);
        } catch (SQLException e) {
            throw new WarehouseUnavailableException("cannot connect to warehouse " + Secrets.maskUrl(jdbcUrl) + ": "
                    + Secrets.oneLine(e.getMessage(), password), e);
        }
    }
}
