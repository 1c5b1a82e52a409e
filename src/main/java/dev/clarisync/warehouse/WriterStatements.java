package dev.clarisync.warehouse;

/**
 * The statements of the writer ({@link WarehouseTransaction}) that work on a set of keys loaded into a stage table:
 * replacing child rows, full refresh, soft deletes, and asking which keys a table holds. Part of every
 * {@link Dialect}, in a file of its own. Table names are qualified and quoted; column and stage names unquoted.
 */
public interface WriterStatements {

    /** Double-quoted identifier ({@link Dialect#quote}). */
    String quote(String identifier);

    /** Whether any row of {@code table} has one of the keys bound as one array parameter in {@code column}. */
    default String anyKeyPresent(String table, String column) {
        return "SELECT 1 FROM " + table + " WHERE " + quote(column) + " = ANY(?) LIMIT 1";
    }

    /** Deletes the rows of {@code table} whose {@code column} is one of {@code stage}'s {@code stageColumn}. */
    default String deleteInStage(String table, String column, String stage, String stageColumn) {
        return "DELETE FROM " + table + " WHERE " + quote(column) + " IN (SELECT " + quote(stageColumn) + " FROM " + quote(stage) + ")";
    }

    /** Deletes the rows of {@code table} whose {@code column} is none of {@code stage}'s {@code stageColumn}. */
    default String deleteNotInStage(String table, String column, String stage, String stageColumn) {
        return "DELETE FROM " + table + " AS t WHERE NOT EXISTS (SELECT 1 FROM " + quote(stage) + " k WHERE k." + quote(stageColumn)
                + " = t." + quote(column) + ")";
    }

    /** Sets the boolean {@code flag} of the rows of {@code table} whose {@code column} is one of {@code stage}'s. */
    default String flagInStage(String table, String flag, String column, String stage) {
        return "UPDATE " + table + " SET " + quote(flag) + " = TRUE WHERE " + quote(column) + " IN (SELECT " + quote(column) + " FROM "
                + quote(stage) + ")";
    }
}
