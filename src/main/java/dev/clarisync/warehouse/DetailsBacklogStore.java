package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnSchema;
import dev.clarisync.schema.ColumnType;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL of {@code _details_backlog}: parent records owed a per-parent fetch. Rows are appended or
 * upserted in the caller's transaction, read newest call first (keyset order on the call's {@code time}, then
 * its id), and removed in the transaction that writes their details. Every statement is built here, with the
 * dialect's types.
 */
public final class DetailsBacklogStore {
    public static final String TABLE = "_details_backlog";
    /** Call ids per DELETE in {@link #remove} (one parameter each: well under any driver's bind limit). */
    private static final int CHUNK = 200;
    /** The call's {@code time}, the order entries are handed out in (newest first); added to older warehouses. */
    static final String CALL_TIME = "call_time";
    /** The backlog's columns, for appending and upserting entries. */
    private static final List<ColumnSchema> COLUMNS = List.of(new ColumnSchema("call_id", ColumnType.VARCHAR, null),
            new ColumnSchema("version", ColumnType.VARCHAR, null), new ColumnSchema("title", ColumnType.VARCHAR, null),
            new ColumnSchema("forced", ColumnType.BOOLEAN, null), new ColumnSchema("enqueued_at", ColumnType.TIMESTAMP, null),
            new ColumnSchema(CALL_TIME, ColumnType.TIMESTAMP, null));

    /**
     * One owed fetch as stored.
     *
     * @param callTime the call's {@code time}; null for a call without one and for entries queued before the column
     *                 existed (they come after every timed entry)
     */
    public record Row(String callId, String version, String title, boolean forced, Instant callTime) {
    }

    /** A position in the hand-out order: after the entry with this call time (null: an untimed one) and id. */
    public record Key(Instant callTime, String callId) {
    }

    private final Warehouse warehouse;

    /** Creates the table if missing. */
    public DetailsBacklogStore(Warehouse warehouse) {
        this.warehouse = warehouse;
        Dialect d = warehouse.dialect();
        warehouse.inTransaction(tx -> {
            warehouse.execute(d.createTable(table(), BookkeepingTables.DETAILS_BACKLOG));
            // a warehouse written before newest-first ordering: its entries keep a NULL time and come last
            if (!warehouse.columns(TABLE).contains(CALL_TIME)) {
                warehouse.execute(d.addColumn(table(), d.quote(CALL_TIME), ColumnType.TIMESTAMP));
            }
            return null;
        });
    }

    private String table() {
        return warehouse.table(TABLE);
    }

    /** Appends entries whose call ids are not in the backlog (one bulk load). */
    public void append(WarehouseTx tx, List<Row> rows, Instant now) {
        tx.appendRows(TABLE, COLUMNS, values(rows, now));
    }

    /** Adds or replaces entries. */
    public void upsert(WarehouseTx tx, List<Row> rows, Instant now) {
        tx.upsertRows(TABLE, List.of("call_id"), COLUMNS, values(rows, now));
    }

    private static List<Object[]> values(List<Row> rows, Instant now) {
        List<Object[]> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(new Object[] {r.callId(), r.version(), r.title(), r.forced(), now, r.callTime()});
        }
        return out;
    }

    /**
     * Queues, as forced entries, every stored record of {@code parentTable} whose {@code readyColumn} is one of
     * {@code ready} and whose {@code time} is at or after {@code since} (null: no lower bound) and before {@code until}
     * (null: no upper bound), at the version its stream
     * recorded in {@code _processed}; entries already owed are flagged forced. Two portable statements (an UPDATE of
     * the owed ones, an INSERT of the others) rather than an upsert, which not every dialect has. Returns how many
     * entries were queued or flagged.
     */
    public int enqueueStored(WarehouseTx tx, String parentTable, String readyColumn, Set<String> ready, Instant since, Instant until,
                             Instant now) {
        if (!warehouse.tableExists(parentTable)) {
            return 0;
        }
        Dialect d = warehouse.dialect();
        String readyList = String.join(", ", Collections.nCopies(ready.size(), "?"));
        String candidates = "SELECT c." + d.quote("id") + " AS id, p." + d.quote("version") + " AS version, c." + d.quote("title")
                + " AS title, c." + d.quote("time") + " AS call_time FROM " + warehouse.table(parentTable) + " c JOIN " + warehouse.table("_processed") + " p ON p."
                + d.quote("scope") + " = ? AND p." + d.quote("id") + " = c." + d.quote("id") + " WHERE c." + d.quote(readyColumn)
                + " IN (" + readyList + ")" + (since == null ? "" : " AND c." + d.quote("time") + " >= ?")
                + (until == null ? "" : " AND c." + d.quote("time") + " < ?");
        List<Object> binds = new ArrayList<>();
        binds.add(parentTable);
        binds.addAll(ready.stream().sorted().toList());
        if (since != null) {
            binds.add(since);
        }
        if (until != null) {
            binds.add(until);
        }
        try {
            int flagged = warehouse.update("UPDATE " + table() + " SET " + d.quote("forced") + " = TRUE WHERE "
                    + d.quote("call_id") + " IN (SELECT id FROM (" + candidates + ") q)", binds.toArray());
            List<Object> insertBinds = new ArrayList<>();
            insertBinds.add(now);
            insertBinds.addAll(binds);
            // the version is the API's own text, as the parent stream recorded it
            int queued = warehouse.update("INSERT INTO " + table() + " (" + d.quote("call_id") + ", " + d.quote("version") + ", "
                    + d.quote("title") + ", " + d.quote("forced") + ", " + d.quote("enqueued_at") + ", " + d.quote(CALL_TIME)
                    + ") SELECT q.id, q.version, q.title, TRUE, ?, q.call_time FROM ("
                    + candidates + ") q WHERE NOT EXISTS (SELECT 1 FROM " + table() + " b WHERE b." + d.quote("call_id") + " = q.id)",
                    insertBinds.toArray());
            return flagged + queued;
        } catch (SQLException e) {
            throw new WarehouseException("cannot queue stored records for details: " + Secrets.oneLine(e.getMessage(), null), e);
        }
    }

    /**
     * Up to {@code limit} entries after {@code after} (null: from the start) in hand-out order, newest call first
     * ({@code call_time} descending, untimed entries last, ties by call id: a keyset, so each read makes progress):
     * the forced ones (re-checks, reloads) when {@code forced}, the others (owed new or changed records) otherwise.
     */
    public List<Row> read(Key after, int limit, boolean forced) {
        Dialect d = warehouse.dialect();
        String time = d.quote(CALL_TIME);
        String id = d.quote("call_id");
        List<Object> binds = new ArrayList<>();
        String position = "";
        if (after != null && after.callTime() != null) {
            position = " AND (" + time + " < ? OR " + time + " IS NULL OR (" + time + " = ? AND " + id + " > ?))";
            binds.addAll(List.of(after.callTime(), after.callTime(), after.callId()));
        } else if (after != null) {
            position = " AND " + time + " IS NULL AND " + id + " > ?";
            binds.add(after.callId());
        }
        String sql = "SELECT " + id + ", " + d.quote("version") + ", " + d.quote("title") + ", " + d.quote("forced") + ", " + time
                + " FROM " + table() + " WHERE " + (forced ? "" : "NOT ") + "COALESCE(" + d.quote("forced") + ", FALSE)" + position
                // untimed last, spelled without NULLS LAST, which not every database of the generic dialect has
                + " ORDER BY CASE WHEN " + time + " IS NULL THEN 1 ELSE 0 END, " + time + " DESC, " + id + " LIMIT " + limit;
        List<Row> out = new ArrayList<>();
        for (Map<String, Object> row : warehouse.query(sql, binds.toArray())) {
            out.add(new Row((String) row.get("call_id"), (String) row.get("version"), (String) row.get("title"),
                    Boolean.TRUE.equals(row.get("forced")), (Instant) row.get(CALL_TIME)));
        }
        return out;
    }

    /**
     * The newest call time still owed by a new or changed record (not a re-check): every ready call newer than it has
     * had its details fetched. Null when none is owed or the newest owed entry has no time.
     */
    public Instant newestOwed() {
        Dialect d = warehouse.dialect();
        List<Map<String, Object>> rows = warehouse.query("SELECT MAX(" + d.quote(CALL_TIME) + ") AS newest FROM " + table()
                + " WHERE NOT COALESCE(" + d.quote("forced") + ", FALSE)");
        return rows.isEmpty() ? null : (Instant) rows.get(0).get("newest");
    }

    public long size() {
        return warehouse.count(TABLE);
    }

    /** Removes entries whose details were written (or are known gone), in the writer's transaction. */
    public void remove(WarehouseTx tx, Collection<String> callIds) {
        WarehouseTransaction t = (WarehouseTransaction) tx;
        List<String> all = new ArrayList<>(callIds);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            String sql = warehouse.dialect().deleteIn(table(), "call_id", chunk.size());
            try {
                PreparedStatement ps = t.prepared(sql); // kept by the warehouse: batches repeat the same text
                for (int i = 0; i < chunk.size(); i++) {
                    warehouse.dialect().bind(ps, i + 1, chunk.get(i));
                }
                ps.executeUpdate();
            } catch (SQLException ex) {
                throw new WarehouseException("cannot update the details backlog: " + Secrets.oneLine(ex.getMessage(), null), ex);
            }
        }
    }
}
