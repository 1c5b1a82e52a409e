package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnSchema;
import dev.clarisync.schema.ColumnType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Best-effort fallback for other JDBC databases: standard SQL only. Types BIGINT, DOUBLE PRECISION, BOOLEAN,
 * TIMESTAMP WITH TIME ZONE and TEXT (not ANSI, but accepted far more widely than an unbounded VARCHAR);
 * stages are {@code CREATE TEMPORARY TABLE}s filled with batched inserts; root rows are merged by delete +
 * insert instead of ON CONFLICT; widening uses {@code SET DATA TYPE} with a plain CAST.
 *
 * <p>Limits: there is no single-writer lock (two runs against the same schema can interleave), and the
 * database must support transactional DDL for a rollback to undo schema changes.
 */
public final class GenericAnsiDialect implements Dialect {

    private static final int BATCH = 1000;

    @Override
    public String name() {
        return "generic";
    }

    @Override
    public String defaultSchema() {
        return "public";
    }

    @Override
    public Connection connect(String jdbcUrl, String user, String password) {
        return Dialect.connect(jdbcUrl, user, password, Map.of());
    }

    @Override
    public AutoCloseable lockWriter(Connection session, String jdbcUrl, String schema) {
        return () -> { }; // no portable lock
    }

    @Override
    public String sqlType(ColumnType type) {
        return switch (type) {
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE PRECISION";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "TIMESTAMP WITH TIME ZONE";
            case VARCHAR, JSON -> "TEXT";
        };
    }

    @Override
    public String toText(String column, ColumnType from) {
        return "CAST(" + column + " AS TEXT)";
    }

    @Override
    public String alterType(String table, String column, ColumnType to, String using) {
        return "ALTER TABLE " + table + " ALTER COLUMN " + column + " SET DATA TYPE " + sqlType(to);
    }

    @Override
    public MergeStrategy mergeStrategy() {
        return MergeStrategy.DELETE_THEN_INSERT;
    }

    @Override
    public String createStage(String stage, String columnDefinitions) {
        return "CREATE TEMPORARY TABLE " + quote(stage) + " (" + columnDefinitions + ")";
    }

    @Override
    public void load(Connection c, String stage, List<ColumnSchema> columns, List<Object[]> rows) throws SQLException {
        insert(c, quote(stage), columns, rows);
    }

    @Override
    public void append(Connection c, String qualified, String schema, String table, PhysicalColumns physical,
                       List<ColumnSchema> columns, List<Object[]> rows) throws SQLException {
        insert(c, qualified, columns, rows);
    }

    private void insert(Connection c, String target, List<ColumnSchema> columns, List<Object[]> rows) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(target).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(quote(columns.get(i).name()));
        }
        sql.append(") VALUES (").append("?, ".repeat(columns.size() - 1)).append("?)");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int pending = 0;
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    bind(ps, i + 1, row[i]);
                }
                ps.addBatch();
                if (++pending == BATCH) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    @Override
    public String catalogFilter(String catalogColumn) {
        return "";
    }
}
