package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.schema.ColumnSchema;
import dev.clarisync.schema.ColumnType;
import dev.clarisync.warehouse.Warehouse;
import dev.clarisync.warehouse.WarehouseTx;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The durable list of calls owed a {@code /call-details} fetch ({@code _details_backlog}). Calls are
 * queued in the same transaction that writes them (so the calls cursor can never move past a call
 * whose details are not owed), and leave it in the same transaction that writes their details. A run
 * that stops anywhere leaves exactly the calls still owed.
 *
 * <p>Only finished calls are queued ({@link #READY}): unfinished ones have no transcript or summary
 * yet, and their status change brings them back under the calls cursor. Calls in terminal failure
 * states are not queued either: their details carry no transcript or summary, and their metadata is
 * already in {@code calls}.
 */
public final class DetailsBacklog {
    /** Statuses whose transcript and summary are ready. */
    public static final Set<String> READY = StreamCatalog.READY;
    static final String TABLE = "_details_backlog";
    /** Call ids per DELETE in {@link #remove} (one parameter each: well under any driver's bind limit). */
    private static final int CHUNK = 200;
    /** The backlog's columns, for appending and upserting entries. */
    private static final List<ColumnSchema> COLUMNS = List.of(new ColumnSchema("call_id", ColumnType.VARCHAR, null),
            new ColumnSchema("version", ColumnType.VARCHAR, null), new ColumnSchema("title", ColumnType.VARCHAR, null),
            new ColumnSchema("forced", ColumnType.BOOLEAN, null), new ColumnSchema("enqueued_at", ColumnType.TIMESTAMP, null));
    /** Entries {@link #take} reads per query and hands out batch by batch (one scan of the backlog each). */
    private static final int READ_AHEAD = 1000;

    private final Warehouse warehouse;

    public DetailsBacklog(Warehouse warehouse) {
        this.warehouse = warehouse;
        warehouse.inTransaction(tx -> {
            try (Statement s = tx.connection().createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + table() + " (call_id VARCHAR PRIMARY KEY, version VARCHAR, "
                        + "title VARCHAR, forced BOOLEAN, enqueued_at TIMESTAMP)");
            }
            return null;
        });
    }

    private String table() {
        return warehouse.table(TABLE);
    }

    /** Whether a call is ready for its details (the catalog's readiness rule of {@code call_details}). */
    public static boolean isReady(JsonNode call) {
        JsonNode status = call.get("status");
        return status != null && READY.contains(status.asText());
    }

    /**
     * Called by the parent stream's page writer before the page's records are marked processed: queues the new or
     * changed parent records that are ready for their child. A record never processed before cannot be queued yet
     * (the backlog only holds processed records), so those are appended in bulk; the others are upserted.
     */
    public void enqueue(WarehouseTx tx, String parentScope, StreamSpec.Parent parent, List<JsonNode> records,
                        Function<JsonNode, String> version, Instant now) {
        Map<String, BacklogEntry> ready = new LinkedHashMap<>();
        for (JsonNode record : records) {
            JsonNode flag = record.get(parent.readyField());
            if (flag != null && parent.ready().contains(flag.asText())) {
                JsonNode title = record.get("title");
                String id = record.get("id").asText();
                ready.put(id, new BacklogEntry(id, version.apply(record), title == null || title.isNull() ? null : title.asText(), false));
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        Set<String> processedBefore = warehouse.processedVersions(parentScope, ready.keySet()).keySet();
        List<Object[]> fresh = new ArrayList<>();
        List<Object[]> again = new ArrayList<>();
        for (BacklogEntry e : ready.values()) {
            (processedBefore.contains(e.callId()) ? again : fresh).add(new Object[] {e.callId(), e.version(), e.title(), e.forced(), now});
        }
        if (!fresh.isEmpty()) {
            tx.appendRows(TABLE, COLUMNS, fresh);
        }
        if (!again.isEmpty()) {
            tx.upsertRows(TABLE, List.of("call_id"), COLUMNS, again);
        }
    }

    /**
     * Queues every ready call already in the warehouse whose {@code time} is at or after {@code since}
     * (null: all), as forced entries. Used by full reload and reconciliation. Returns how many.
     */
    public int enqueueStored(WarehouseTx tx, Instant since, Instant now) {
        if (!warehouse.tableExists("calls")) {
            return 0;
        }
        String sql = "INSERT INTO " + table() + " (call_id, version, title, forced, enqueued_at) "
                // the version is the API's own last_modified_time text, as the calls stream recorded it
                + "SELECT c.id, p.version, c.title, TRUE, ? FROM " + warehouse.table("calls") + " c JOIN "
                + warehouse.table("_processed") + " p ON p.scope = 'calls' AND p.id = c.id"
                + " WHERE c.status IN ('POST_PROCESSING_DONE', 'PROCESSED')" + (since == null ? "" : " AND c.\"time\" >= ?")
                + " ON CONFLICT (call_id) DO UPDATE SET forced = TRUE";
        try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
            warehouse.dialect().bind(ps, 1, now);
            if (since != null) {
                warehouse.dialect().bind(ps, 2, since);
            }
            return ps.executeUpdate();
        } catch (SQLException ex) {
            throw new IllegalStateException("cannot queue stored calls for details: " + ex.getMessage(), ex);
        }
    }

    /**
     * Up to {@code limit} entries with call ids after {@code afterId} (keyset order, so a run always makes progress).
     * Reads {@link #READ_AHEAD} entries per query and serves the next calls from them while the caller keeps asking
     * for what follows its last entry: a query scans the whole backlog, once per batch would be quadratic.
     */
    public List<BacklogEntry> take(ReadAhead ahead, String afterId, int limit) {
        if (!Objects.equals(afterId, ahead.after) || ahead.entries.isEmpty()) {
            ahead.entries.clear();
            ahead.entries.addAll(read(afterId, Math.max(limit, READ_AHEAD)));
        }
        List<BacklogEntry> out = new ArrayList<>(Math.min(limit, ahead.entries.size()));
        while (out.size() < limit && !ahead.entries.isEmpty()) {
            out.add(ahead.entries.poll());
        }
        ahead.after = out.isEmpty() ? afterId : out.get(out.size() - 1).callId();
        return out;
    }

    /** Entries one run has read ahead and not yet taken, and the call id they follow on from (one per run and stream). */
    public static final class ReadAhead {
        private final ArrayDeque<BacklogEntry> entries = new ArrayDeque<>();
        private String after;
    }

    private List<BacklogEntry> read(String afterId, int limit) {
        String sql = "SELECT call_id, version, title, forced FROM " + table() + " WHERE call_id > ? ORDER BY call_id LIMIT " + limit;
        List<BacklogEntry> out = new ArrayList<>();
        for (Map<String, Object> row : warehouse.query(sql, afterId == null ? "" : afterId)) {
            out.add(new BacklogEntry((String) row.get("call_id"), (String) row.get("version"), (String) row.get("title"),
                    Boolean.TRUE.equals(row.get("forced"))));
        }
        return out;
    }

    public long size() {
        return warehouse.count(TABLE);
    }

    /** Removes entries whose details were written (or are known gone), in the writer's transaction. */
    public void remove(WarehouseTx tx, Collection<String> callIds) {
        List<String> all = new ArrayList<>(callIds);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            String sql = "DELETE FROM " + table() + " WHERE call_id IN ("
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
            try {
                PreparedStatement ps = tx.prepared(sql); // kept by the warehouse: batches repeat the same text
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                ps.executeUpdate();
            } catch (SQLException ex) {
                throw new IllegalStateException("cannot update the details backlog: " + ex.getMessage(), ex);
            }
        }
    }
}
