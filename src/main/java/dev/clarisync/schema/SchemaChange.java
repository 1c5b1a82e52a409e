package dev.clarisync.schema;

/**
 * One change {@link SchemaModel#evolve} made, to be applied to the database and logged in
 * {@code _schema_changes}. For {@link Kind#CREATE_TABLE} {@code column}, {@code type} and
 * {@code previousType} are null and {@code sourcePath} is the table's path; for columns it is the column's
 * relative pointer.
 */
public record SchemaChange(Kind kind, String table, String column, ColumnType type, ColumnType previousType,
                           String sourcePath) {

    public enum Kind {
        CREATE_TABLE("create_table"), ADD_COLUMN("add_column"), WIDEN("widen");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The value stored in {@code _schema_changes.change}. */
        public String label() {
            return label;
        }
    }
}
