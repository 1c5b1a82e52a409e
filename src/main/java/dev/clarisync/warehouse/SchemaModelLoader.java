package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnType;
import dev.clarisync.schema.SchemaModel;
import dev.clarisync.schema.TableSchema;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds what is known about the data tables ({@link SchemaModel}) from the name mapping the warehouse keeps in
 * {@code _schema_tables} / {@code _schema_columns} and the physical {@code _deleted} columns: when the warehouse
 * opens or reopens, and after a rollback took back what a transaction taught the model.
 */
final class SchemaModelLoader {

    private SchemaModelLoader() {
    }

    static SchemaModel load(Warehouse w) throws SQLException {
        Dialect d = w.dialect();
        SchemaModel m = new SchemaModel(BookkeepingTables.BOOKKEEPING);
        List<Map<String, Object>> tables = w.query(d.select(w.table(BookkeepingTables.SCHEMA_TABLES),
                List.of("table_name", "stream", "parent_table", "source_path")) + " ORDER BY " + d.quote("table_name"));
        // parents before children, whatever their names
        Map<String, String> pathByName = new HashMap<>();
        while (!tables.isEmpty()) {
            List<Map<String, Object>> waiting = new ArrayList<>();
            for (Map<String, Object> t : tables) {
                String parent = (String) t.get("parent_table");
                if (parent != null && !pathByName.containsKey(parent)) {
                    waiting.add(t);
                    continue;
                }
                String name = (String) t.get("table_name");
                m.restoreTable(name, (String) t.get("source_path"), (String) t.get("stream"), parent == null ? null : pathByName.get(parent));
                pathByName.put(name, (String) t.get("source_path"));
            }
            if (waiting.size() == tables.size()) {
                throw new SQLException(BookkeepingTables.SCHEMA_TABLES + " names parents that do not exist: " + waiting);
            }
            tables = waiting;
        }
        for (Map<String, Object> c : w.query(d.select(w.table(BookkeepingTables.SCHEMA_COLUMNS),
                List.of("table_name", "column_name", "source_path", "column_type")) + " ORDER BY " + d.quote("table_name") + ", "
                + d.quote("ordinal"))) {
            m.restoreColumn((String) c.get("table_name"), (String) c.get("column_name"), (String) c.get("source_path"),
                    ColumnType.valueOf((String) c.get("column_type")));
        }
        for (Map<String, Object> c : w.query(d.tablesWithColumn(), w.schema(), TableSchema.DELETED)) {
            TableSchema t = m.tableNamed((String) c.get("table_name"));
            if (t != null && t.isRoot()) {
                t.markHasDeletedFlag();
            }
        }
        return m;
    }
}
