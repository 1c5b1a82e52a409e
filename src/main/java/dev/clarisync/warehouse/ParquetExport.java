package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnSchema;
import dev.clarisync.schema.ColumnType;
import dev.clarisync.schema.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes warehouse tables as Parquet with DuckDB's own writer, never a hand-written encoder:
 * <ul>
 *   <li>DuckDB warehouse: {@code COPY (SELECT ...) TO ... (FORMAT parquet, PARTITION_BY (call_month))} on the
 *       warehouse's own session.</li>
 *   <li>Any other warehouse (PostgreSQL): the rows are read over JDBC in one pass (fetch size bounded), appended into a
 *       temporary table of an in-process, in-memory DuckDB, and written from there by the same {@code COPY}.</li>
 * </ul>
 * Calls-like tables ({@code calls}, {@code call_details}, their child tables and their {@code __history} tables) are
 * partitioned by the call's UTC month: {@code DIR/<table>/call_month=YYYY-MM/*.parquet} (Hive style; a child row takes
 * its call's month through {@code _root_id}; no call time: {@code call_month=unknown}). Other tables are one file,
 * {@code DIR/<table>/data.parquet}.
 *
 * <p><b>Changed partitions.</b> {@link #fingerprints} answers, per partition, a fingerprint of what it holds: its row
 * count, the latest {@code _synced_at} / {@code _valid_from} / {@code _valid_to} and the number of rows flagged
 * {@code _deleted}. Every write of the connector moves one of these (a rewritten row or child row gets a new
 * {@code _synced_at}, a closed version a new {@code _valid_to}, a soft delete the flag count, a removal the count), so a
 * partition whose fingerprint is unchanged holds the same rows as when it was exported.
 */
public final class ParquetExport {
    /** The partition column added to calls-like tables. */
    public static final String PARTITION = "call_month";
    /** The name of a table's single partition when it is not partitioned. */
    public static final String WHOLE = "";
    private static final Set<String> CALL_STREAMS = Set.of("calls", "call_details");
    private static final int BATCH = 10_000;
    /** A progress line every this many rows read over JDBC. */
    private static final int PROGRESS_EVERY = 50_000;

    /** A column of an exported table: name and DuckDB/Parquet logical type. */
    public record Column(String name, String type) {
    }

    private final Warehouse w;
    private final Consumer<String> progress;

    /** @param progress receives one line per table written and, for tables read over JDBC, every 50,000 rows */
    public ParquetExport(Warehouse w, Consumer<String> progress) {
        this.w = w;
        this.progress = progress;
    }

    /** The tables an export can write: the data tables and the history tables, sorted (not bookkeeping, not views). */
    public List<String> exportableTables() {
        Set<String> existing = Set.copyOf(w.tables());
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        for (TableSchema t : w.withSession(() -> List.copyOf(w.model().tables()))) {
            out.add(t.name());
            if (t.isRoot() && existing.contains(HistoryTables.tableOf(t.name()))) {
                out.add(HistoryTables.tableOf(t.name()));
            }
        }
        return List.copyOf(out);
    }

    /** Whether {@code table} is written in call-month partitions. */
    public boolean partitioned(String table) {
        return rootOf(table) != null;
    }

    /** What a partition holds now: its rows and a fingerprint that changes with any write to them. */
    public record Partition(long rows, String fingerprint) {
    }

    /** Partition → what it holds now, for {@code table} ({@link #WHOLE} for an unpartitioned table). */
    public Map<String, Partition> fingerprints(String table) {
        List<String> cols = w.columns(table);
        StringBuilder sql = new StringBuilder("SELECT ").append(partitioned(table) ? monthExpression(table) : "''").append(" AS p, count(*) AS n");
        for (String c : List.of(TableSchema.SYNCED_AT, HistoryTables.VALID_FROM, HistoryTables.VALID_TO)) {
            if (cols.contains(c)) {
                sql.append(", max(t.").append(w.q(c)).append(") AS ").append(w.q("max" + c));
            }
        }
        if (cols.contains(TableSchema.DELETED)) {
            sql.append(", sum(CASE WHEN t.").append(w.q(TableSchema.DELETED)).append(" THEN 1 ELSE 0 END) AS deleted");
        }
        sql.append(from(table)).append(" GROUP BY 1");
        Map<String, Partition> out = new java.util.TreeMap<>();
        for (Map<String, Object> row : w.query(sql.toString())) {
            Map<String, Object> rest = new LinkedHashMap<>(row);
            rest.remove("p");
            out.put(String.valueOf(row.get("p")), new Partition(((Number) row.get("n")).longValue(), rest.values().toString()));
        }
        return out;
    }

    /** When the last successful sync of this warehouse ended ({@code _sync_runs}), or null if none did. */
    public java.time.Instant lastSync() {
        if (!w.tableExists(BookkeepingTables.SYNC_RUNS)) {
            return null;
        }
        Object last = w.query("SELECT max(ended_at) AS last FROM " + w.table(BookkeepingTables.SYNC_RUNS) + " WHERE outcome = 'succeeded'")
                .get(0).get("last");
        return last instanceof java.time.Instant i ? i : null;
    }

    /**
     * Writes {@code table} into {@code dir/<table>/}: every partition when {@code partitions} is null (the folder is
     * replaced), else only those partitions (their folders replaced). Returns the table's columns as written (without
     * the partition column).
     */
    public List<Column> write(String table, Path dir, Set<String> partitions) {
        Path target = dir.resolve(table);
        boolean split = partitioned(table);
        if (partitions == null) {
            deleteTree(target);
        } else {
            for (String p : partitions) {
                deleteTree(split ? target.resolve(PARTITION + "=" + p) : target);
            }
        }
        String where = partitions == null || !split ? "" : " WHERE " + monthExpression(table) + " IN (" + String.join(", ",
                partitions.stream().map(p -> "'" + p.replace("'", "''") + "'").toList()) + ")";
        String select = "SELECT t.*" + (split ? ", " + monthExpression(table) + " AS " + w.q(PARTITION) : "") + from(table) + where;
        long started = System.nanoTime();
        try {
            Files.createDirectories(target);
            List<Column> columns = w.dialect() instanceof DuckDbDialect
                    ? w.withSession(() -> copy(w.session(), select, target, split))
                    : w.withSession(() -> viaDuckDb(table, select, target, split));
            progress.accept("export: " + table + " written in " + (System.nanoTime() - started) / 1_000_000 + " ms"
                    + (partitions == null ? "" : " (" + partitions.size() + " changed partition(s))"));
            return columns;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the folder of a partition that no longer exists. */
    public void dropPartition(String table, Path dir, String partition) {
        deleteTree(dir.resolve(table).resolve(PARTITION + "=" + partition));
    }

    /** {@code COPY} on a DuckDB connection; answers the columns of the select (without the partition column). */
    private List<Column> copy(Connection c, String select, Path target, boolean split) throws SQLException {
        String to = split ? target.toString() : target.resolve("data.parquet").toString();
        try (Statement s = c.createStatement()) {
            s.execute("COPY (" + select + ") TO '" + to.replace("'", "''") + "' (FORMAT parquet"
                    + (split ? ", PARTITION_BY (" + w.q(PARTITION) + "), OVERWRITE_OR_IGNORE true" : "") + ")");
            List<Column> columns = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("DESCRIBE " + select)) {
                while (rs.next()) {
                    if (!PARTITION.equals(rs.getString("column_name"))) {
                        columns.add(new Column(rs.getString("column_name"), rs.getString("column_type")));
                    }
                }
            }
            return columns;
        }
    }

    /** Reads the rows over JDBC into an in-memory DuckDB's temporary table, then {@link #copy}s from it. */
    private List<Column> viaDuckDb(String table, String select, Path target, boolean split) throws SQLException {
        DuckDbDialect duck = new DuckDbDialect();
        try (Connection local = DriverManager.getConnection("jdbc:duckdb:");
             Statement read = w.session().createStatement()) {
            boolean auto = w.session().getAutoCommit();
            w.session().setAutoCommit(false); // PostgreSQL streams a result set with a fetch size only inside a transaction
            read.setFetchSize(BATCH);
            try (ResultSet rs = read.executeQuery(select)) {
                ResultSetMetaData md = rs.getMetaData();
                List<ColumnSchema> columns = new ArrayList<>();
                StringBuilder defs = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    ColumnSchema col = new ColumnSchema(md.getColumnLabel(i), typeOf(md.getColumnType(i)), null);
                    columns.add(col);
                    defs.append(i == 1 ? "" : ", ").append(duck.quote(col.name())).append(' ').append(duck.sqlType(col.type()));
                }
                String stage = "export_rows";
                try (Statement s = local.createStatement()) {
                    s.execute(duck.createReusableStage(stage, defs.toString()));
                }
                List<Object[]> batch = new ArrayList<>(BATCH);
                long n = 0;
                while (rs.next()) {
                    Object[] row = new Object[columns.size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = value(rs, i + 1, columns.get(i).type());
                    }
                    batch.add(row);
                    if (batch.size() == BATCH) {
                        duck.load(local, stage, columns, batch);
                        batch.clear();
                    }
                    if (++n % PROGRESS_EVERY == 0) {
                        progress.accept("export: " + table + ": " + n + " rows read");
                    }
                }
                duck.load(local, stage, columns, batch);
                return copy(local, "SELECT * FROM " + duck.quote(stage), target, split);
            } finally {
                w.session().commit();
                w.session().setAutoCommit(auto);
            }
        }
    }

    private Object value(ResultSet rs, int i, ColumnType type) throws SQLException {
        Object v = switch (type) {
            case BIGINT -> rs.getLong(i);
            case DOUBLE -> rs.getDouble(i);
            case BOOLEAN -> rs.getBoolean(i);
            case TIMESTAMP -> w.dialect().instant(rs, i);
            case VARCHAR, JSON -> rs.getString(i);
        };
        return rs.wasNull() ? null : v;
    }

    /** The connector's type of a JDBC column type; anything else is exported as text. */
    private static ColumnType typeOf(int jdbcType) {
        return switch (jdbcType) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> ColumnType.BIGINT;
            case Types.DOUBLE, Types.FLOAT, Types.REAL, Types.NUMERIC, Types.DECIMAL -> ColumnType.DOUBLE;
            case Types.BOOLEAN, Types.BIT -> ColumnType.BOOLEAN;
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> ColumnType.TIMESTAMP;
            default -> ColumnType.VARCHAR;
        };
    }

    /** The root table whose call time partitions {@code table}, or null when it is not calls-like. */
    private String rootOf(String table) {
        String base = table.endsWith(HistoryTables.SUFFIX) ? table.substring(0, table.length() - HistoryTables.SUFFIX.length()) : table;
        try {
            TableSchema t = w.withSession(() -> w.model().tableNamed(base));
            if (t == null || !CALL_STREAMS.contains(t.stream()) || (!t.isRoot() && !base.equals(table))) {
                return null;
            }
            TableSchema root = w.withSession(() -> w.model().table(t.stream()));
            boolean timed = root != null && root.columns().stream().anyMatch(c -> c.name().equals("time") && c.type() == ColumnType.TIMESTAMP);
            return timed ? root.name() : null;
        } catch (WarehouseException e) {
            return null;
        }
    }

    /** {@code FROM} the table as {@code t}, joined to its call ({@code r}) when it is a child table. */
    private String from(String table) {
        String root = rootOf(table);
        String sql = " FROM " + w.table(table) + " t";
        if (root != null && w.columns(table).contains(TableSchema.ROOT_ID)) {
            sql += " LEFT JOIN " + w.table(root) + " r ON r." + w.q(TableSchema.ID) + " = t." + w.q(TableSchema.ROOT_ID);
        }
        return sql;
    }

    /** The call's UTC month as 'YYYY-MM' (the dialect's canonical UTC text of the time), 'unknown' without one. */
    private String monthExpression(String table) {
        String alias = w.columns(table).contains(TableSchema.ROOT_ID) ? "r" : "t";
        return "COALESCE(substr(" + w.dialect().toText(alias + "." + w.q("time"), ColumnType.TIMESTAMP) + ", 1, 7), 'unknown')";
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + p + ": " + e.getMessage(), e);
        }
    }
}
