package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnSchema;
import dev.clarisync.schema.ColumnType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * PostgreSQL. Types: bigint, double precision, boolean, timestamptz, text (names are lower-case already).
 * Stages are {@code TEMP ... ON COMMIT DROP} tables filled with {@code COPY ... FROM STDIN (FORMAT csv)}, the
 * fastest way in; the single-writer lock is a session-level {@code pg_try_advisory_lock} keyed on the schema
 * name, held by the warehouse's session connection (it survives rollbacks and ends with the session). Text loses
 * NUL characters ({@link TextRule#UNICODE_WITHOUT_NUL}).
 */
public final class PostgresDialect implements Dialect {

    static final String PREFIX = "jdbc:postgresql:";
    /** COPY data is sent in chunks of about this many characters. */
    private static final int COPY_CHUNK = 1 << 20;

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String defaultSchema() {
        return "public";
    }

    @Override
    public Connection connect(String jdbcUrl, String user, String password) {
        return Dialect.connect(jdbcUrl, user, password,
                Map.of("ApplicationName", "clari-copilot-connector", "connectTimeout", "10"));
    }

    /** The advisory lock key of a schema: the first 8 bytes of SHA-256("dev.clarisync.warehouse:" + schema). */
    static long lockKey(String schema) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(("dev.clarisync.warehouse:" + schema).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(d).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public AutoCloseable lockWriter(Connection session, String jdbcUrl, String schema) throws SQLException {
        long key = lockKey(schema);
        try (PreparedStatement ps = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new WarehouseBusyException("PostgreSQL schema \"" + schema + "\" is locked by " + holder(session, key));
                }
            }
        }
        return () -> {
            try (PreparedStatement ps = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, key);
                ps.execute();
            }
        };
    }

    /** Who holds the lock, for the busy message: a bigint key is split into classid (high) and objid (low). */
    private static String holder(Connection session, long key) {
        String sql = "SELECT l.pid, a.application_name, a.client_addr FROM pg_locks l "
                + "LEFT JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                + "AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.objsubid = 1";
        try (PreparedStatement ps = session.prepareStatement(sql)) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xFFFFFFFFL);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    String app = rs.getString(2);
                    String addr = rs.getString(3);
                    return "session pid " + rs.getInt(1) + (app == null || app.isEmpty() ? "" : " (" + app + ")")
                            + (addr == null ? "" : " from " + addr);
                }
            }
        } catch (SQLException e) {
            // only decoration for the message
        }
        return "another session";
    }

    @Override
    public String sqlType(ColumnType type) {
        return switch (type) {
            case BIGINT -> "bigint";
            case DOUBLE -> "double precision";
            case BOOLEAN -> "boolean";
            case TIMESTAMP -> "timestamptz";
            case VARCHAR, JSON -> "text";
        };
    }

    /** {@code text} cannot hold NUL ("invalid byte sequence for encoding UTF8: 0x00"): it is removed. */
    @Override
    public TextRule textRule() {
        return TextRule.UNICODE_WITHOUT_NUL;
    }

    @Override
    public String toText(String column, ColumnType from) {
        if (from == ColumnType.TIMESTAMP) {
            String utc = "(" + column + " AT TIME ZONE 'UTC')";
            return "CASE WHEN (extract(microseconds FROM " + column + ")::bigint % 1000) = 0 THEN to_char(" + utc
                    + ", 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') ELSE to_char(" + utc
                    + ", 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') END";
        }
        return "CAST(" + column + " AS text)";
    }

    @Override
    public List<String> childTableIndexes(String table, String rootIdColumn) {
        // rows are replaced by _root_id; without an index every page would scan the whole child table
        return List.of("CREATE INDEX ON " + table + " (" + rootIdColumn + ")");
    }

    @Override
    public MergeStrategy mergeStrategy() {
        return MergeStrategy.ON_CONFLICT;
    }

    @Override
    public String createStage(String stage, String columnDefinitions) {
        return "CREATE TEMP TABLE " + quote(stage) + " (" + columnDefinitions + ") ON COMMIT DROP";
    }

    /**
     * Reusable stages are emptied at every commit ({@code ON COMMIT DELETE ROWS} truncates them), so the rows that
     * {@link #clearStage} deletes inside a transaction never pile up as dead tuples (autovacuum skips temp tables).
     */
    @Override
    public String createReusableStage(String stage, String columnDefinitions) {
        return "CREATE TEMP TABLE " + quote(stage) + " (" + columnDefinitions + ") ON COMMIT DELETE ROWS";
    }

    /** Keys are bound as one array ({@code = ANY(?)}, {@link Connection#createArrayOf}). */
    @Override
    public KeyPresence keyPresence() {
        return KeyPresence.ARRAY_PROBE;
    }

    @Override
    public void load(Connection c, String stage, List<ColumnSchema> columns, List<Object[]> rows) throws SQLException {
        copy(c, quote(stage), columns, rows);
    }

    /** COPY straight into the table, naming the columns (the others get their default, NULL). */
    @Override
    public void append(Connection c, String qualified, String schema, String table, PhysicalColumns physical,
                       List<ColumnSchema> columns, List<Object[]> rows) throws SQLException {
        copy(c, qualified, columns, rows);
    }

    private void copy(Connection c, String target, List<ColumnSchema> columns, List<Object[]> rows) throws SQLException {
        StringBuilder names = new StringBuilder();
        for (ColumnSchema col : columns) {
            names.append(names.length() == 0 ? "" : ", ").append(quote(col.name()));
        }
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + target + " (" + names + ") FROM STDIN WITH (FORMAT csv)");
        try {
            StringBuilder csv = new StringBuilder(Math.min(COPY_CHUNK + 4096, 64 + rows.size() * 64));
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    if (i > 0) {
                        csv.append(',');
                    }
                    appendCsv(csv, row[i]);
                }
                csv.append('\n');
                if (csv.length() >= COPY_CHUNK) {
                    write(copy, csv);
                }
            }
            write(copy, csv);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** CSV: NULL is an unquoted empty field, every string is quoted (so "" is the empty string). */
    private static void appendCsv(StringBuilder csv, Object v) {
        if (v == null) {
            return;
        }
        if (v instanceof String s) {
            csv.append('"');
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch == '"') {
                    csv.append('"');
                }
                csv.append(ch);
            }
            csv.append('"');
        } else if (v instanceof Boolean b) {
            csv.append(b ? 't' : 'f');
        } else {
            csv.append(v); // Long, Double (Java's form is valid float8 input), Instant (ISO-8601 with Z)
        }
    }

    private static void write(CopyIn copy, StringBuilder csv) throws SQLException {
        if (csv.length() > 0) {
            byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            csv.setLength(0);
        }
    }


    /** PostgreSQL will not drop or retype a column a view reads. */
    @Override
    public String viewsReadingColumn() {
        return "SELECT DISTINCT view_name FROM information_schema.view_column_usage WHERE table_schema = ? AND table_name = ?"
                + " AND column_name = ?";
    }
}
