package dev.clarisync.schema;

/**
 * A column the warehouse knows: its SQL name, logical type, and the source path (relative pointer, see
 * {@link SourcePath}) it holds; system columns have a null source path.
 */
public record ColumnSchema(String name, ColumnType type, String sourcePath) {

    public boolean isSystem() {
        return sourcePath == null;
    }
}
