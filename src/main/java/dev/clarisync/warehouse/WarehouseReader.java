package dev.clarisync.warehouse;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The warehouse's reads: read-only queries with bound values, and what the catalog says exists. Every read runs on
 * the session between other threads' transactions ({@link WarehouseSession#withSession}).
 */
final class WarehouseReader {

    private final WarehouseSession session;
    private final Dialect dialect;
    private final String schema;
    /** Quoted prefix of every table name ("schema", or "catalog"."schema" on DuckDB). */
    private final String qualifier;

    WarehouseReader(WarehouseSession session, Dialect dialect, String schema, String qualifier) {
        this.session = session;
        this.dialect = dialect;
        this.schema = schema;
        this.qualifier = qualifier;
    }

    String qualifier() {
        return qualifier;
    }

    /** The qualified, quoted SQL name of a table of this warehouse. */
    String table(String name) {
        return qualifier + "." + dialect.quote(name);
    }

    /** See {@link Warehouse#query}. */
    List<Map<String, Object>> query(String sql, Object... binds) {
        requireQuery(sql);
        return session.withSession(() -> {
            try (PreparedStatement ps = session.prepare(sql, binds); ResultSet rs = ps.executeQuery()) {
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
        });
    }

    /** The read-only port's guard: a query, not a statement that changes anything. */
    private static void requireQuery(String sql) {
        String head = sql.stripLeading();
        if (!head.regionMatches(true, 0, "SELECT", 0, 6) && !head.regionMatches(true, 0, "WITH", 0, 4)) {
            throw new IllegalArgumentException("a query must be a SELECT or WITH ... SELECT, not: "
                    + head.substring(0, Math.min(40, head.length())));
        }
    }

    /** Number of rows of a table of this warehouse (0 if it does not exist). */
    long count(String table) {
        if (columns(table).isEmpty()) {
            return 0;
        }
        return ((Number) query(dialect.countRows(table(table))).get(0).get("n")).longValue();
    }

    /** Column names of a table of this warehouse, in table order (empty if it does not exist). */
    List<String> columns(String table) {
        List<String> columns = new ArrayList<>();
        for (Map<String, Object> row : query(dialect.columnsOf(), schema, table)) {
            columns.add((String) row.get("column_name"));
        }
        return columns;
    }

    /** Every table of this warehouse (data and bookkeeping). */
    Set<String> existingTables() {
        Set<String> names = new HashSet<>();
        for (Map<String, Object> row : query(dialect.tablesOf(), schema)) {
            names.add((String) row.get("table_name"));
        }
        return names;
    }

    /** Column names of a table in physical order, straight from the catalog, on the caller's session work. */
    List<String> physicalColumns(String table) throws SQLException {
        try (PreparedStatement ps = session.prepare(dialect.columnsOf(), schema, table); ResultSet rs = ps.executeQuery()) {
            List<String> columns = WriteSession.strings(rs);
            if (columns.isEmpty()) {
                throw new SQLException("table " + table + " not found in schema " + schema);
            }
            return columns;
        }
    }

    /** See {@link Warehouse#pairs}. */
    Map<String, String> pairs(String table, String keyColumn, String valueColumn) {
        List<String> cols = columns(table);
        if (!cols.contains(keyColumn) || !cols.contains(valueColumn)) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (Map<String, Object> row : query(dialect.pairs(table(table), keyColumn, valueColumn))) {
            if (row.get("v") != null) {
                out.put(String.valueOf(row.get("k")), String.valueOf(row.get("v")));
            }
        }
        return out;
    }
}
