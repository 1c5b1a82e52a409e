package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnType;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements about what a warehouse holds: catalog queries (which schemas, tables and columns exist) and the
 * DDL that creates a schema, a bookkeeping table or a view. Part of every {@link Dialect}, kept in a file of its
 * own so that the dialect's merge, stage and load statements stay readable beside it.
 *
 * <p>Catalog queries take their values as parameters (never concatenated) and are restricted to the database's own
 * catalog ({@link #catalogFilter}).
 */
public interface CatalogStatements {

    /** Double-quoted identifier ({@link Dialect#quote}). */
    String quote(String identifier);

    /** The physical type of a logical column type ({@link Dialect#sqlType}). */
    String sqlType(ColumnType type);

    /**
     * A predicate, ending in {@code AND}, restricting information_schema rows to this database's own catalog
     * (DuckDB lists attached and temporary catalogs too); "" when not needed.
     */
    default String catalogFilter(String catalogColumn) {
        return catalogColumn + " = current_database() AND ";
    }

    /** Whether a schema exists (parameter: schema; a row when it does). */
    default String schemaExists() {
        return "SELECT schema_name FROM information_schema.schemata WHERE " + catalogFilter("catalog_name") + "schema_name = ?";
    }

    /** The tables and views of a schema (parameter: schema; one {@code table_name} per row). */
    default String tablesOf() {
        return "SELECT table_name FROM information_schema.tables WHERE " + catalogFilter("table_catalog") + "table_schema = ?";
    }

    /** The base tables of a schema, views left out (parameter: schema; one {@code table_name} per row). */
    default String baseTablesOf() {
        return tablesOf() + " AND table_type = 'BASE TABLE'";
    }

    /** A table's columns in physical order (parameters: schema, table; one {@code column_name} per row). */
    default String columnsOf() {
        return "SELECT column_name FROM information_schema.columns WHERE " + catalogFilter("table_catalog")
                + "table_schema = ? AND table_name = ? ORDER BY ordinal_position";
    }

    /** A table's columns with their physical types (parameters: schema, table; {@code column_name, data_type} per row). */
    default String columnTypesOf() {
        return "SELECT column_name, data_type FROM information_schema.columns WHERE " + catalogFilter("table_catalog")
                + "table_schema = ? AND table_name = ? ORDER BY ordinal_position";
    }

    /** The tables of a schema that have a column (parameters: schema, column; one {@code table_name} per row). */
    default String tablesWithColumn() {
        return "SELECT table_name FROM information_schema.columns WHERE " + catalogFilter("table_catalog")
                + "table_schema = ? AND column_name = ?";
    }

    /** {@code SELECT count(*) AS n} of a table (qualified, quoted). */
    default String countRows(String table) {
        return "SELECT count(*) AS n FROM " + table;
    }

    /** Pairs of two columns of a table (qualified, quoted), as {@code k} and {@code v}. */
    default String pairs(String table, String keyColumn, String valueColumn) {
        return "SELECT " + quote(keyColumn) + " AS k, " + quote(valueColumn) + " AS v FROM " + table;
    }

    /** DDL that creates a schema (its qualifier, quoted) unless it exists. */
    default String createSchema(String qualifier) {
        return "CREATE SCHEMA IF NOT EXISTS " + qualifier;
    }

    /** DDL that creates a declared bookkeeping table under {@code qualified} (its quoted, qualified name) unless it exists. */
    default String createTable(String qualified, BookkeepingTable table) {
        List<String> parts = new ArrayList<>();
        for (BookkeepingTable.Column c : table.columns()) {
            parts.add(quote(c.name()) + " " + sqlType(c.type()) + (c.notNull() ? " NOT NULL" : ""));
        }
        if (!table.key().isEmpty()) {
            parts.add("PRIMARY KEY (" + String.join(", ", table.key().stream().map(this::quote).toList()) + ")");
        }
        return "CREATE TABLE IF NOT EXISTS " + qualified + " (" + String.join(", ", parts) + ")";
    }

    /** DDL that creates {@code view} (qualified, quoted) as a read-only {@code select}. */
    default String createView(String view, String select) {
        return "CREATE VIEW " + view + " AS\n" + select;
    }

    /** DDL that drops {@code view} (qualified, quoted) if it exists. */
    default String dropView(String view) {
        return "DROP VIEW IF EXISTS " + view;
    }

    /** DDL that drops {@code table} (qualified, quoted). */
    default String dropTable(String table) {
        return "DROP TABLE " + table;
    }
}
