package dev.clarisync.warehouse;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL of {@code _rejected_records}: records that could not be read or stored as they are, set aside so that the
 * rest of their stream goes on. One row per (stream, record id), with the last reason, the answer's text (cut by the
 * caller), when it was first and last seen and how many attempts failed. A record that lands later leaves the table.
 */
public final class RejectedRecordsStore {
    public static final String TABLE = "_rejected_records";

    /** One record set aside: its id, one line saying why, and the answer's text (or null). */
    public record Rejected(String recordId, String reason, String answer) {
    }

    private final Warehouse warehouse;

    /** Creates the table if missing. */
    public RejectedRecordsStore(Warehouse warehouse) {
        this.warehouse = warehouse;
        BookkeepingTables.create(warehouse, BookkeepingTables.REJECTED_RECORDS);
    }

    private String table() {
        return warehouse.table(TABLE);
    }

    /**
     * Sets the records aside inside the caller's transaction: a record already there gets the new reason and answer
     * and one more attempt. Returns how many were not there before (set aside for the first time).
     */
    public int setAside(WarehouseTx tx, String stream, List<Rejected> records, Instant now) {
        Dialect d = warehouse.dialect();
        String update = d.updateAdding(table(), List.of("reason", "answer", "last_seen"), "attempts", "stream", "record_id");
        String insert = d.insert(table(), "stream", "record_id", "reason", "answer", "first_seen", "last_seen", "attempts");
        int added = 0;
        try {
            for (Rejected r : records) {
                if (warehouse.update(update, r.reason(), r.answer(), now, 1L, stream, r.recordId()) == 0) {
                    warehouse.update(insert, stream, r.recordId(), r.reason(), r.answer(), now, now, 1L);
                    added++;
                }
            }
        } catch (SQLException e) {
            throw new WarehouseException("cannot set records aside in " + TABLE + ": " + Secrets.oneLine(e.getMessage(), null), e);
        }
        return added;
    }

    /** Removes records that have now landed, inside the caller's transaction. */
    public void landed(WarehouseTx tx, String stream, Collection<String> recordIds) {
        String delete = warehouse.dialect().delete(table(), "stream", "record_id");
        try {
            for (String id : recordIds) {
                warehouse.update(delete, stream, id);
            }
        } catch (SQLException e) {
            throw new WarehouseException("cannot update " + TABLE + ": " + Secrets.oneLine(e.getMessage(), null), e);
        }
    }

    /** The ids of the stream's records set aside now. */
    public Set<String> ids(String stream) {
        Set<String> ids = new HashSet<>();
        for (Map<String, Object> row : warehouse.query(warehouse.dialect().select(table(), List.of("record_id"), "stream"), stream)) {
            ids.add((String) row.get("record_id"));
        }
        return ids;
    }
}
