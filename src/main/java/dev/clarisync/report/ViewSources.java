package dev.clarisync.report;

import dev.clarisync.warehouse.QueryPort;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the warehouse has, as the analytics views read it: table → columns, and the logical type the connector recorded
 * for each data column. Each source table is read through a normalising sub-select ({@link #relation}) listing the
 * columns a view uses, so a view compiles whatever exists yet (see {@link AnalyticsViews}).
 */
final class ViewSources {

    static final String VARCHAR = "VARCHAR";
    static final String BIGINT = "BIGINT";
    static final String DOUBLE = "DOUBLE PRECISION";
    static final String BOOLEAN = "BOOLEAN";
    static final String TIMESTAMP = "TIMESTAMP";
    static final String INTEGER = "INTEGER";
    /** Logged as the views: what operators see when a column reads as NULL. */
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsViews.class);

    /**
     * A column a view reads, as {@code type}: the table's {@code source} column (through {@code template}) when it
     * exists and holds that kind of value; a typed NULL when it does not exist, or when the sync had to widen it to a
     * type the view cannot use (text where a number or time is expected: see {@link #compatible}).
     */
    record Col(String name, String source, String sourceType, String template, String type) {
        String select(ViewSources src, String table) {
            String actual = src.logicalType(table, source);
            if (actual == null || !compatible(sourceType, actual)) {
                if (actual != null) {
                    LOG.warn("analytics views read {}.{} as NULL: it holds {} values, not {}", table, source, actual, sourceType);
                }
                return "CAST(NULL AS " + type + ") AS " + name;
            }
            String value = "t." + quote(source);
            if (!sameKind(sourceType, actual)) {
                value = "CAST(" + value + " AS " + sourceType + ")";
            }
            return template.formatted(value) + " AS " + name;
        }
    }

    static Col col(String name, String source, String type) {
        return new Col(name, source, type, "%s", type);
    }

    /** A value computed from a column of type {@code sourceType}: {@code template} with %s for the column. */
    static Col expr(String name, String source, String sourceType, String template, String type) {
        return new Col(name, source, sourceType, template, type);
    }

    /** The tables the views read. */
    static final List<String> TABLES = List.of("calls", "call_details", "calls__users", "users",
            "call_details__summary__key_action_items", "call_details__transcript", "scorecards",
            "scorecards__questions_score", "scorecard_templates", "calls__history", "call_details__history");
    private final String schema;
    private final Map<String, List<String>> columns;
    private final Map<String, String> types;

    ViewSources(String schema, Map<String, List<String>> columns, Map<String, String> types) {
        this.schema = schema;
        this.columns = columns;
        this.types = types;
    }

    static ViewSources read(QueryPort w) {
        Map<String, List<String>> cols = new HashMap<>();
        for (String t : TABLES) {
            cols.put(t, w.columns(t));
        }
        Map<String, String> types = new HashMap<>();
        if (w.tableExists("_schema_columns")) {
            for (Map<String, Object> row : w.query("SELECT table_name, column_name, column_type FROM " + w.table("_schema_columns"))) {
                types.put(row.get("table_name") + "." + row.get("column_name"), (String) row.get("column_type"));
            }
        }
        return new ViewSources(w.schema(), cols, types);
    }

    /**
     * The connector's logical type of a column (BIGINT, DOUBLE, BOOLEAN, TIMESTAMP, VARCHAR, JSON), the view's own
     * type for bookkeeping columns the connector does not record ({@code id}, {@code _parent_id}, ...), or null
     * when the column does not exist.
     */
    String logicalType(String table, String column) {
        if (!has(table, column)) {
            return null;
        }
        return types.getOrDefault(table + "." + column, "*");
    }

    /** Whether a column of logical type {@code actual} can be read as SQL type {@code wanted}. */
    static boolean compatible(String wanted, String actual) {
        if ("*".equals(actual) || VARCHAR.equals(wanted)) {
            return true;
        }
        return switch (wanted) {
            case BIGINT, DOUBLE, INTEGER -> "BIGINT".equals(actual) || "DOUBLE".equals(actual);
            case BOOLEAN -> "BOOLEAN".equals(actual);
            case TIMESTAMP -> "TIMESTAMP".equals(actual);
            default -> false;
        };
    }

    /** Whether no cast is needed. */
    static boolean sameKind(String wanted, String actual) {
        return switch (actual) {
            case "*" -> true;
            case "BIGINT" -> BIGINT.equals(wanted) || INTEGER.equals(wanted);
            case "DOUBLE" -> DOUBLE.equals(wanted);
            case "VARCHAR", "JSON" -> VARCHAR.equals(wanted);
            default -> actual.equals(wanted);
        };
    }

    boolean has(String table) {
        return !columns.getOrDefault(table, List.of()).isEmpty();
    }

    boolean has(String table, String column) {
        return columns.getOrDefault(table, List.of()).contains(column);
    }

    String qualified(String name) {
        return quote(schema) + "." + quote(name);
    }

    /** A sub-select with exactly {@code cols} (typed NULL where missing; no rows if the table is missing). */
    String relation(String table, Col... cols) {
        StringBuilder sql = new StringBuilder("(SELECT ");
        for (int i = 0; i < cols.length; i++) {
            sql.append(i == 0 ? "" : ", ").append(has(table) ? cols[i].select(this, table)
                    : "CAST(NULL AS " + cols[i].type() + ") AS " + cols[i].name());
        }
        if (!has(table)) {
            return sql.append(" WHERE 1 = 0)").toString();
        }
        sql.append(" FROM ").append(qualified(table)).append(" t");
        if (has(table, "_deleted")) {
            sql.append(" WHERE COALESCE(t.").append(quote("_deleted")).append(", FALSE) = FALSE");
        }
        return sql.append(")").toString();
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
