package dev.clarisync.warehouse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One query against the warehouse that cannot write: DuckDB is opened with {@code access_mode=READ_ONLY}, any other
 * database runs the query in a read-only transaction that is rolled back. Used by the {@code sql} command; it takes
 * no writer lock and creates nothing (not even a missing DuckDB file).
 */
public final class ReadOnlyQuery {
    private static final Pattern LOCK_PID = Pattern.compile("PID (\\d+)");

    /** Receives the result: the column names once, then each row (numbers and booleans typed, everything else as text, null as null). */
    public interface RowSink {
        void columns(List<String> names);

        void row(Object[] values);
    }

    /** The query was refused by the database (syntax, unknown table, an attempt to write): the database's message, one line. */
    public static final class QueryFailedException extends RuntimeException {
        public QueryFailedException(String message) {
            super(message);
        }
    }

    private ReadOnlyQuery() {
    }

    /**
     * Runs {@code sql} and streams its result into {@code sink}. A statement without a result set sends no columns.
     *
     * @param schema null or blank: the database's default; else unqualified names resolve in that schema
     * @throws QueryFailedException          the database refused the query
     * @throws WarehouseBusyException        a DuckDB file held by a running sync
     * @throws WarehouseUnavailableException the warehouse cannot be opened (no password in the message)
     */
    public static void run(String jdbcUrl, String user, String password, String schema, String sql, RowSink sink) {
        boolean duckdb = jdbcUrl.startsWith("jdbc:duckdb:");
        try (Connection c = connect(jdbcUrl, user, password, duckdb)) {
            try {
                if (!duckdb) {
                    c.setAutoCommit(false);
                    c.setReadOnly(true);
                    try (Statement s = c.createStatement()) {
                        s.execute("SET TRANSACTION READ ONLY");
                    }
                }
                if (schema != null && !schema.isBlank()) {
                    try (Statement s = c.createStatement()) {
                        s.execute((duckdb ? "SET schema = " : "SET search_path TO ") + "'" + schema.replace("'", "''") + "'");
                    }
                }
                try (Statement s = c.createStatement()) {
                    if (s.execute(sql)) {
                        try (ResultSet rs = s.getResultSet()) {
                            stream(rs, sink);
                        }
                    }
                }
            } finally {
                if (!duckdb) {
                    c.rollback();
                }
            }
        } catch (SQLException e) {
            throw new QueryFailedException(Secrets.oneLine(e.getMessage(), password));
        }
    }

    private static void stream(ResultSet rs, RowSink sink) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> names = new ArrayList<>(n);
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            names.add(md.getColumnLabel(i + 1));
            types[i] = md.getColumnType(i + 1);
        }
        sink.columns(names);
        while (rs.next()) {
            Object[] row = new Object[n];
            for (int i = 0; i < n; i++) {
                row[i] = switch (types[i]) {
                    case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL, Types.FLOAT, Types.DOUBLE,
                            Types.DECIMAL, Types.NUMERIC, Types.BOOLEAN, Types.BIT -> rs.getObject(i + 1);
                    default -> rs.getString(i + 1);
                };
            }
            sink.row(row);
        }
    }

    private static Connection connect(String jdbcUrl, String user, String password, boolean duckdb) {
        Properties props = new Properties();
        if (duckdb) {
            Path file = DuckDbDialect.file(jdbcUrl);
            if (file != null && !Files.exists(file)) {
                throw new WarehouseUnavailableException("there is no DuckDB warehouse at " + file, null);
            }
            props.setProperty("access_mode", "READ_ONLY");
        } else {
            if (user != null && !user.isEmpty()) {
                props.setProperty("user", user);
            }
            if (password != null && !password.isEmpty()) {
                props.setProperty("password", password);
            }
        }
        try {
            return DriverManager.getConnection(jdbcUrl, props);
        } catch (SQLException e) {
            String message = Secrets.oneLine(e.getMessage(), password);
            if (message.contains("Could not set lock on file")) {
                Matcher pid = LOCK_PID.matcher(message);
                throw new WarehouseBusyException("DuckDB file is locked by " + (pid.find() ? "process " + pid.group(1) : "another process"));
            }
            throw new WarehouseUnavailableException("cannot open warehouse " + Secrets.maskUrl(jdbcUrl) + ": " + message, e);
        }
    }
}
