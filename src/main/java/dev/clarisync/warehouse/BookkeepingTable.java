package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnType;
import java.util.List;

/**
 * A bookkeeping table declared as data: its name, its columns in order and its key. The DDL is the dialect's
 * ({@link Dialect#createTable}); the tables themselves are listed in {@link BookkeepingTables}.
 *
 * @param key the primary key's columns, in order; empty for a table without one
 */
record BookkeepingTable(String name, List<Column> columns, List<String> key) {

    /** One column: its name, logical type, and whether it may hold NULL. */
    record Column(String name, ColumnType type, boolean notNull) {
    }

    BookkeepingTable {
        columns = List.copyOf(columns);
        key = List.copyOf(key);
    }

    /** A nullable column. */
    static Column col(String name, ColumnType type) {
        return new Column(name, type, false);
    }

    /** A NOT NULL column. */
    static Column required(String name, ColumnType type) {
        return new Column(name, type, true);
    }
}
