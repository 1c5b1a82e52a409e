package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.warehouse.DetailsBacklogStore;
import dev.clarisync.warehouse.Warehouse;
import dev.clarisync.warehouse.WarehouseTx;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
 * The durable list of parent records owed a per-parent fetch ({@code _details_backlog}, SQL in
 * {@link DetailsBacklogStore}). Records are queued in the same transaction that writes them (so the
 * parent's cursor can never move past a record whose details are not owed), and leave it in the same
 * transaction that writes their details. A run that stops anywhere leaves exactly the records still owed.
 *
 * <p>Only ready records are queued (the spec's {@link StreamSpec.Parent} rule; for calls, {@link StreamCatalog#READY}):
 * unfinished calls have no transcript or summary yet, and their status change brings them back under
 * the calls cursor. Calls in terminal failure states are not queued either: their details carry no
 * transcript or summary, and their metadata is already in {@code calls}.
 */
public final class DetailsBacklog {
    /** Entries {@link #take} reads per query and hands out batch by batch (one scan of the backlog each). */
    private static final int READ_AHEAD = 1000;

    private final Warehouse warehouse;
    private final DetailsBacklogStore store;

    public DetailsBacklog(Warehouse warehouse) {
        this.warehouse = warehouse;
        this.store = new DetailsBacklogStore(warehouse);
    }

    /** Whether a call is ready for its details (the catalog's readiness rule of {@code call_details}). */
    public static boolean isReady(JsonNode call) {
        return StreamCatalog.DETAILS_PARENT.isReady(call);
    }

    /**
     * Called by the parent stream's page writer before the page's records are marked processed: queues the new or
     * changed parent records that are ready for their child. A record never processed before cannot be queued yet
     * (the backlog only holds processed records), so those are appended in bulk; the others are upserted.
     */
    public void enqueue(WarehouseTx tx, String parentScope, StreamSpec.Parent parent, List<JsonNode> records,
                        Function<JsonNode, String> version, Instant now) {
        Map<String, DetailsBacklogStore.Row> ready = new LinkedHashMap<>();
        for (JsonNode record : records) {
            if (parent.isReady(record)) {
                JsonNode title = parent.titleField() == null ? null : record.get(parent.titleField());
                String id = record.get("id").asText();
                ready.put(id, new DetailsBacklogStore.Row(id, version.apply(record), title == null || title.isNull() ? null : title.asText(),
                        false, callTime(record, parent.orderField())));
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        Set<String> processedBefore = warehouse.processedVersions(parentScope, ready.keySet()).keySet();
        List<DetailsBacklogStore.Row> fresh = new ArrayList<>();
        List<DetailsBacklogStore.Row> again = new ArrayList<>();
        for (DetailsBacklogStore.Row e : ready.values()) {
            (processedBefore.contains(e.callId()) ? again : fresh).add(e);
        }
        if (!fresh.isEmpty()) {
            store.append(tx, fresh, now);
        }
        if (!again.isEmpty()) {
            store.upsert(tx, again, now);
        }
    }

    /** The record's {@code orderField} (calls: {@code time}), the order details are fetched in; null when it has none or it is not an instant. */
    static Instant callTime(JsonNode record, String orderField) {
        JsonNode time = orderField == null ? null : record.get(orderField);
        if (time == null || !time.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(time.asText());
        } catch (DateTimeParseException e) {
            return null; // a record with an odd time is still owed its details, after the timed ones
        }
    }

    /**
     * Queues every ready parent record already in the warehouse whose {@code time} is in {@code [since, until)}
     * (null: unbounded on that side), as forced entries. Used by full reload and re-checks. Returns how many.
     */
    public int enqueueStored(WarehouseTx tx, StreamSpec.Parent parent, Instant since, Instant until, Instant now) {
        return store.enqueueStored(tx, parent.stream(), parent.readyField(), parent.ready(), since, until, now);
    }

    /**
     * Up to {@code limit} entries, owed new or changed records first and forced re-fetches (re-checks, reloads) after
     * them, each group newest call first (by the call's {@code time}; a keyset on time and id, so a run always makes
     * progress): a backfill stopped by the weekly quota has the details of the newest calls. {@code afterId} is the last entry
     * this walk took (null at its start); a different one starts the walk over. Reads {@link #READ_AHEAD} entries per
     * query into the run's {@code ahead} and serves the next entries from it: a query scans the whole backlog, once per
     * batch would be quadratic.
     */
    public List<BacklogEntry> take(ReadAhead ahead, String afterId, int limit) {
        if (!Objects.equals(afterId, ahead.after)) {
            ahead.restart();
        }
        List<BacklogEntry> out = new ArrayList<>(Math.min(limit, READ_AHEAD));
        while (out.size() < limit) {
            if (ahead.entries.isEmpty()) {
                if (ahead.groupDone) {
                    if (ahead.forced) {
                        break;
                    }
                    ahead.forced = true; // every owed new or changed record has been handed out: now the re-checks
                    ahead.readAfter = null;
                    ahead.groupDone = false;
                    continue;
                }
                int want = Math.max(limit, READ_AHEAD);
                List<DetailsBacklogStore.Row> rows = store.read(ahead.readAfter, want, ahead.forced);
                ahead.groupDone = rows.size() < want;
                if (!rows.isEmpty()) {
                    DetailsBacklogStore.Row last = rows.get(rows.size() - 1);
                    ahead.readAfter = new DetailsBacklogStore.Key(last.callTime(), last.callId());
                }
                rows.forEach(r -> ahead.entries.add(new BacklogEntry(r.callId(), r.version(), r.title(), r.forced())));
                continue;
            }
            out.add(ahead.entries.poll());
        }
        ahead.after = out.isEmpty() ? afterId : out.get(out.size() - 1).callId();
        return out;
    }

    /** Entries one run has read ahead and not yet taken, and where its walk is (one per run and stream). */
    public static final class ReadAhead {
        private final ArrayDeque<BacklogEntry> entries = new ArrayDeque<>();
        /** The last entry handed out. */
        private String after;
        /** Reading the forced group (after the owed one). */
        private boolean forced;
        /** The keyset position of the reads within the current group. */
        private DetailsBacklogStore.Key readAfter;
        /** The current group's last read came back short: nothing more of it to read. */
        private boolean groupDone;

        private void restart() {
            entries.clear();
            forced = false;
            readAfter = null;
            groupDone = false;
        }
    }

    public long size() {
        return store.size();
    }

    /** The newest call time still owed (not a re-check): details are complete for every ready call after it; null if none. */
    public Instant newestOwed() {
        return store.newestOwed();
    }

    /** Removes entries whose details were written (or are known gone), in the writer's transaction. */
    public void remove(WarehouseTx tx, Collection<String> callIds) {
        store.remove(tx, callIds);
    }
}
