package dev.clarisync.warehouse;

import static dev.clarisync.warehouse.BookkeepingTable.col;
import static dev.clarisync.warehouse.BookkeepingTable.required;

import dev.clarisync.schema.ColumnType;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Every bookkeeping table of a warehouse, declared as data ({@link BookkeepingTable}); the dialect writes their DDL
 * ({@link Dialect#createTable}). Those in {@link #ON_OPEN} are created when the warehouse opens ({@link #prepare}),
 * the others by the store that owns them, when it is made ({@link #create}).
 */
final class BookkeepingTables {

    static final String SYNC_STATE = "_sync_state";
    static final String SYNC_RUNS = "_sync_runs";
    static final String SCHEMA_CHANGES = "_schema_changes";
    static final String PROCESSED = "_processed";
    static final String SCHEMA_TABLES = "_schema_tables";
    static final String SCHEMA_COLUMNS = "_schema_columns";
    /** The tables the schema model leaves out: bookkeeping, not data ({@link dev.clarisync.schema.SchemaModel}). */
    static final Set<String> BOOKKEEPING = Set.of(SYNC_STATE, SYNC_RUNS, SCHEMA_CHANGES, PROCESSED, SCHEMA_TABLES, SCHEMA_COLUMNS);

    private static final ColumnType V = ColumnType.VARCHAR;
    private static final ColumnType TS = ColumnType.TIMESTAMP;
    private static final ColumnType BIG = ColumnType.BIGINT;

    /** Created when the warehouse opens, in this order. */
    static final List<BookkeepingTable> ON_OPEN = List.of(
            new BookkeepingTable(SYNC_STATE, List.of(required("stream", V), required("key", V), col("value", V),
                    required("updated_at", TS)), List.of("stream", "key")),
            new BookkeepingTable(SYNC_RUNS, List.of(required("run_id", V), col("command", V), col("started_at", TS),
                    col("ended_at", TS), col("outcome", V), col("message", V), col("rows_written", V), col("requests", BIG),
                    col("retries", BIG), col("details_not_found", BIG), col("records_rejected", BIG)), List.of("run_id")),
            new BookkeepingTable(SCHEMA_CHANGES, List.of(required("changed_at", TS), required("table_name", V),
                    col("column_name", V), required("change", V), col("column_type", V), col("source_path", V),
                    col("previous_type", V)), List.of()),
            new BookkeepingTable(PROCESSED, List.of(required("scope", V), required("id", V), col("version", V),
                    required("processed_at", TS)), List.of("scope", "id")),
            new BookkeepingTable(SCHEMA_TABLES, List.of(required("table_name", V), required("stream", V), col("parent_table", V),
                    required("source_path", V), required("created_at", TS)), List.of("table_name")),
            new BookkeepingTable(SCHEMA_COLUMNS, List.of(required("table_name", V), required("column_name", V),
                    required("source_path", V), required("column_type", V), required("ordinal", BIG)),
                    List.of("table_name", "column_name")));

    /** Parent records owed a per-parent fetch ({@link DetailsBacklogStore}). */
    static final BookkeepingTable DETAILS_BACKLOG = new BookkeepingTable(DetailsBacklogStore.TABLE, List.of(
            required("call_id", V), col("version", V), col("title", V), col("forced", ColumnType.BOOLEAN),
            col("enqueued_at", TS), col(DetailsBacklogStore.CALL_TIME, TS)), List.of("call_id"));
    /** Records set aside ({@link RejectedRecordsStore}). */
    static final BookkeepingTable REJECTED_RECORDS = new BookkeepingTable(RejectedRecordsStore.TABLE, List.of(
            required("stream", V), required("record_id", V), col("reason", V), col("answer", V), required("first_seen", TS),
            required("last_seen", TS), required("attempts", BIG)), List.of("stream", "record_id"));
    /** The salted hashes of forgotten people ({@link PrivacyStore}). */
    static final BookkeepingTable FORGOTTEN = new BookkeepingTable(PrivacyStore.FORGOTTEN, List.of(
            required("hash", V), required("kind", V), required("forgotten_at", TS)), List.of("hash"));
    /** Requests sent per week ({@link RequestLedgerStore}). */
    static final BookkeepingTable REQUEST_LEDGER = new BookkeepingTable(RequestLedgerStore.TABLE, List.of(
            required("week_start", TS), required("requests", BIG)), List.of("week_start"));

    /** The scratch table {@link #checkWritable} creates, fills and drops. */
    static final String CONNECTOR_CHECK = "_connector_check";
    private static final BookkeepingTable CHECK = new BookkeepingTable(CONNECTOR_CHECK, List.of(col("id", V)), List.of());

    private BookkeepingTables() {
    }

    /**
     * Creates the schema and the {@link #ON_OPEN} tables that are missing, checking first: {@code IF NOT EXISTS}
     * still needs the right to create, which a warehouse prepared by someone else may not give.
     */
    static void prepare(Warehouse w) throws SQLException {
        Dialect d = w.dialect();
        boolean schemaExists = !w.query(d.schemaExists(), w.schema()).isEmpty();
        Set<String> existing = schemaExists ? Set.copyOf(w.tables()) : Set.of();
        if (schemaExists && ON_OPEN.stream().allMatch(t -> existing.contains(t.name()))) {
            return;
        }
        w.inTransaction(tx -> {
            if (!schemaExists) {
                w.execute(d.createSchema(w.qualifier()));
            }
            for (BookkeepingTable t : ON_OPEN) {
                if (!existing.contains(t.name())) {
                    w.execute(d.createTable(w.table(t.name()), t));
                }
            }
            return null;
        });
    }

    /** Creates a store's table if it is missing, in a transaction of its own. */
    static void create(Warehouse w, BookkeepingTable table) {
        w.inTransaction(tx -> {
            w.execute(w.dialect().createTable(w.table(table.name()), table));
            return null;
        });
    }

    /** See {@link Warehouse#checkWritable}. */
    static void checkWritable(Warehouse w) {
        Dialect d = w.dialect();
        String scratch = w.table(CONNECTOR_CHECK);
        w.inTransaction(tx -> {
            w.execute(d.createTable(scratch, CHECK));
            w.update(d.insert(scratch, "id"), "check");
            w.execute(d.dropTable(scratch));
            return null;
        });
    }
}
