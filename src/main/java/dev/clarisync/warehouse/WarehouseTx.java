package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnSchema;
import dev.clarisync.schema.FlatBatch;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operations available inside {@link Warehouse#inTransaction}. Everything done through one {@code WarehouseTx}
 * commits together or not at all, schema changes included. A {@code WarehouseTx} is valid only inside the
 * {@code TxWork} it was passed to and only on that thread; afterwards every method throws
 * {@link IllegalStateException}. Arguments must not be null unless stated.
 */
public interface WarehouseTx {

    /**
     * Writes a batch of records of one stream (root table = the stream name, e.g. {@code calls}), already flattened by
     * the JSON → tables rule ({@link dev.clarisync.schema.Flattener#flatten(String, List)}, before the transaction:
     * flattening takes no lock).
     * <ol>
     *   <li>Evolves the schema ({@link dev.clarisync.schema.SchemaModel#evolve}): new tables, new columns and widened
     *       types, each logged in {@code _schema_changes}. Never fails because of a value's type.</li>
     *   <li>Upserts root rows on {@code id}: a re-written row gets exactly the new record's values, columns absent
     *       from the new record (and {@code _deleted}) become NULL; {@code _synced_at} = {@code syncedAt}.</li>
     *   <li>Replaces all child rows of those ids, in every child table of the stream (including tables this batch
     *       has no rows for).</li>
     * </ol>
     * Idempotent: writing the same records twice leaves the same rows. An empty batch writes nothing. A batch is
     * written once: its empty arrays are settled by the schema of its first write.
     *
     * @return rows written per table (root and children, by SQL name)
     */
    WriteCounts upsert(FlatBatch batch, Instant syncedAt);

    /**
     * Full refresh: deletes the root rows of {@code stream} whose id is not in {@code keepIds}, and all their child
     * rows. An empty set deletes every row of the stream; a stream never written deletes nothing.
     *
     * @return number of root rows deleted
     */
    int deleteAllExcept(String stream, Set<String> keepIds);

    /**
     * Sets {@code _deleted = TRUE} on the root rows of these ids (the BOOLEAN column is added, and logged, the first
     * time). Ids not in the table are ignored; rows stay (soft delete) until re-written, which clears the flag.
     *
     * @return number of rows flagged
     */
    int markDeleted(String stream, Collection<String> ids);

    /** Upserts {@code (stream, key) -> value} in {@code _sync_state}; a null {@code value} removes the key. */
    void putState(String stream, String key, String value);

    /**
     * Upserts {@code (scope, id) -> version} in {@code _processed} (e.g. scope {@code call_details}, version = the
     * call's {@code last_modified_time}), so later runs can skip unchanged work. Versions may be null.
     */
    void markProcessed(String scope, Map<String, String> idToVersion);

    /**
     * Bulk-appends rows to a table of this warehouse that the caller created (e.g. a work queue): one bulk load
     * (DuckDB appender, PostgreSQL COPY) whatever the number of rows, where a multi-row INSERT costs a parse of every
     * value and a JDBC batch on DuckDB runs row by row. The rows' keys must be new: a duplicate key fails the
     * transaction. Columns of the table not in {@code columns} get NULL. The table's column order is read once per
     * session: change its columns only before its first append of a session.
     *
     * @param columns names and logical types of the values, in row order; values are Long, Double, Boolean, Instant,
     *                String or null
     */
    void appendRows(String table, List<ColumnSchema> columns, List<Object[]> rows);

    /**
     * Upserts rows into a table of this warehouse that the caller created, matching on {@code keyColumns} (its
     * primary key): a row whose key exists is replaced by the new one (like {@link #upsert}, columns not given become
     * NULL). One bulk load into a stage and one statement. On DuckDB an upsert costs time in proportion to the table's size (ON CONFLICT checks
     * it whole), so rows known to have new keys are cheaper through {@link #appendRows}.
     */
    void upsertRows(String table, List<String> keyColumns, List<ColumnSchema> columns, List<Object[]> rows);

    /**
     * Runs {@code undo} if this transaction rolls back (after its writes are gone), so that what the caller counted in
     * memory as written (the requests put in the ledger) is counted as unwritten again and written later.
     */
    void onRollback(Runnable undo);
}
