package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.warehouse.Warehouse;
import dev.clarisync.warehouse.WarehouseTx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    public static final Set<String> READY = Set.of("POST_PROCESSING_DONE", "PROCESSED");
    static final String TABLE = "_details_backlog";
    /** Rows per statement (5 parameters each: well under any driver's bind limit). */
    private static final int CHUNK = 200;

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

    public static boolean isReady(JsonNode call) {
        JsonNode status = call.get("status");
        return status != null && READY.contains(status.asText());
    }

    /** Calls-stream listener: queues the new or changed calls that are ready for details. */
    public void enqueue(WarehouseTx tx, List<JsonNode> calls) {
        List<BacklogEntry> ready = new ArrayList<>();
        for (JsonNode call : calls) {
            if (isReady(call)) {
                JsonNode title = call.get("title");
                ready.add(new BacklogEntry(call.get("id").asText(), CallsStream.version(call),
                        title == null || title.isNull() ? null : title.asText(), false));
            }
        }
        put(tx.connection(), ready);
    }

    /** Upserts entries with one multi-row statement per chunk: a JDBC batch would run row by row on DuckDB (~5 ms each). */
    void put(Connection c, Collection<BacklogEntry> entries) {
        List<BacklogEntry> all = new ArrayList<>(entries);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<BacklogEntry> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            String sql = "INSERT INTO " + table() + " (call_id, version, title, forced, enqueued_at) VALUES "
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "(?, ?, ?, ?, ?)"))
                    + " ON CONFLICT (call_id) DO UPDATE SET version = excluded.version, title = excluded.title, "
                    + "forced = excluded.forced, enqueued_at = excluded.enqueued_at";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Instant now = Instant.now();
                int i = 1;
                for (BacklogEntry e : chunk) {
                    ps.setString(i++, e.callId());
                    ps.setString(i++, e.version());
                    ps.setString(i++, e.title());
                    ps.setBoolean(i++, e.forced());
                    warehouse.dialect().bind(ps, i++, now);
                }
                ps.executeUpdate();
            } catch (SQLException ex) {
                throw new IllegalStateException("cannot queue calls for details: " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * Queues every ready call already in the warehouse whose {@code time} is at or after {@code since}
     * (null: all), as forced entries. Used by full reload and reconciliation. Returns how many.
     */
    public int enqueueStored(WarehouseTx tx, Instant since) {
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
            warehouse.dialect().bind(ps, 1, Instant.now());
            if (since != null) {
                warehouse.dialect().bind(ps, 2, since);
            }
            return ps.executeUpdate();
        } catch (SQLException ex) {
            throw new IllegalStateException("cannot queue stored calls for details: " + ex.getMessage(), ex);
        }
    }

    /** Up to {@code limit} entries with call ids after {@code afterId} (keyset order, so a run always makes progress). */
    public List<BacklogEntry> take(String afterId, int limit) {
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
            try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
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
