package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.api.ApiCall;
import dev.clarisync.api.ApiResponses;
import dev.clarisync.api.ClariTime;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.warehouse.Warehouse;
import dev.clarisync.warehouse.WriteCounts;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code call_details} stream: drains {@link DetailsBacklog} in batches. The
 * {@code clari-call-details} route drives it: {@link #begin}, then while {@link #hasMore}:
 * {@link #nextBatch} → parallel split → idempotent filter on {@link #versionKey} → {@link #request} →
 * HTTP → {@link #read} → {@link #writeBatch}. When the sync fails mid-batch, {@link #salvage} keeps what was fetched.
 *
 * <p>Request cost: one {@code /call-details} request per finished call that is new or whose
 * {@code last_modified_time} changed; zero when nothing changed. {@code clari.details.mode=full}
 * re-fetches every stored finished call once; reconciliation (every {@code clari.details.reconcile-every}) re-fetches
 * the last {@code clari.details.reconcile-days} days and writes only calls whose content changed.
 */
public final class DetailsStream {
    private static final Logger LOG = LoggerFactory.getLogger(DetailsStream.class);
    public static final String STREAM = "call_details";
    /** Scope of {@code _processed} holding each call's details content hash. */
    static final String CONTENT_SCOPE = "call_details#content";
    static final String LAST_RECONCILE = "last_reconcile";
    static final String ENTRY = "clariBacklogEntry";

    private final ConnectorSettings settings;
    private final Warehouse warehouse;
    private final SyncRun run;
    private final WarehouseIdempotentRepository idempotency;
    private final DetailsBacklog backlog;
    private final RequestBudget budget;
    private volatile Map<String, String> userNames = Map.of();
    private String lastTaken;
    private boolean drained;
    private long owed;
    private final AtomicInteger done = new AtomicInteger();
    /** The batch in flight and what happened to each of its calls (fetched in parallel). */
    private volatile List<BacklogEntry> batch = List.of();
    private final Map<String, DetailsResult> results = new java.util.concurrent.ConcurrentHashMap<>();
    /** Schema contract (#14): calls whose answer was about another call; they stay in the backlog. */
    private final java.util.Set<String> answeredForAnother = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public DetailsStream(ConnectorSettings settings, Warehouse warehouse, SyncRun run,
                         WarehouseIdempotentRepository idempotency, DetailsBacklog backlog, RequestBudget budget) {
        this.settings = settings;
        this.warehouse = warehouse;
        this.run = run;
        this.idempotency = idempotency;
        this.backlog = backlog;
        this.budget = budget;
    }

    /** Threads that fetch details; the shared throttle, not this pool, bounds the request rate. */
    public static ExecutorService newPool(int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "clari-details-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues full reloads and due reconciliations, then reports what is owed. */
    public void begin() {
        batch = List.of();
        results.clear();
        lastTaken = null;
        drained = false;
        done.set(0);
        userNames = userNames();
        Instant now = run.startedAt();
        if ("full".equals(settings.detailsMode())) {
            int n = warehouse.inTransaction(tx -> backlog.enqueueStored(tx, null));
            LOG.info("call_details: full reload requested: {} finished calls queued (one request each)", n);
        } else if (settings.reconcileDays() > 0 && reconcileDue(now)) {
            Instant since = now.minus(Duration.ofDays(settings.reconcileDays()));
            int n = warehouse.inTransaction(tx -> {
                int queued = backlog.enqueueStored(tx, since);
                tx.putState(STREAM, LAST_RECONCILE, ClariTime.format(now));
                return queued;
            });
            LOG.info("call_details: reconciliation: {} since {} queued for a re-check", // firsthour #18: plurals
                    dev.clarisync.ops.Plural.of(n, "finished call"), ClariTime.format(since));
        }
        owed = backlog.size();
        run.stats().phase(STREAM);
        run.stats().detailsOwed(owed);
        LOG.info("call_details: {} owed details", dev.clarisync.ops.Plural.of(owed, "call")); // firsthour #18: plurals
    }

    /** userId → name from the users stream, for speaker names of internal participants. */
    private Map<String, String> userNames() {
        if (!warehouse.columns(UsersStream.STREAM).contains("name")) {
            return Map.of();
        }
        Map<String, String> names = new java.util.HashMap<>();
        for (Map<String, Object> row : warehouse.query("SELECT id, name FROM " + warehouse.table(UsersStream.STREAM))) {
            if (row.get("name") != null) {
                names.put((String) row.get("id"), (String) row.get("name"));
            }
        }
        return names;
    }

    private boolean reconcileDue(Instant now) {
        String last = warehouse.readState(STREAM).get(LAST_RECONCILE);
        return last == null || !Instant.parse(last).plus(settings.reconcileEvery()).isAfter(now);
    }

    public boolean hasMore() {
        return !drained;
    }

    /** The next batch of owed calls; prefetches what the warehouse knows of them. */
    public List<BacklogEntry> nextBatch() {
        // never take more calls than the week's budget can still fetch (each costs one request)
        int allowed = budget.allowance(settings.detailsBatchSize());
        List<BacklogEntry> batch = backlog.take(lastTaken, allowed);
        if (batch.size() < allowed) {
            drained = true;
        }
        if (!batch.isEmpty()) {
            lastTaken = batch.get(batch.size() - 1).callId();
        }
        idempotency.prefetch(batch.stream().map(BacklogEntry::callId).toList());
        this.batch = batch;
        results.clear();
        return batch;
    }

    /** Idempotency key: forced entries (reload, reconciliation) carry the run id, so they are always fetched. */
    public String versionKey(BacklogEntry entry) {
        String version = entry.forced() ? entry.version() + "#" + run.runId() : entry.version();
        return WarehouseIdempotentRepository.key(entry.callId(), version);
    }

    /** Sets the {@code /call-details} request for one entry. */
    public void request(BacklogEntry entry, Exchange exchange) {
        exchange.setProperty(ENTRY, entry);
        ApiCall.request(exchange, "/call-details", "id=" + URLEncoder.encode(entry.callId(), StandardCharsets.UTF_8));
    }

    /** The fetched call, with speakers resolved in its transcript; or, on a 404, the call is gone: logged and counted. */
    public DetailsResult read(JsonNode page, Exchange exchange) {
        BacklogEntry entry = exchange.getProperty(ENTRY, BacklogEntry.class);
        if (page == ApiResponses.NOT_FOUND) {
            run.stats().countDetailsNotFound();
            LOG.warn("call_details: call {} ('{}') not found (HTTP 404): skipped", entry.callId(), entry.title());
            DetailsResult gone = DetailsResult.notFound(entry);
            results.put(entry.callId(), gone);
            return gone;
        }
        JsonNode call = page.get("call");
        if (!(call instanceof ObjectNode obj) || RecordCheck.problem(call) != null) {
            throw new dev.clarisync.api.MalformedResponseException(ApiCall.describe(exchange)
                    + ": the answer has no 'call' object with an id", null);
        }
        // schema contract (#14): store details only under the id asked for; otherwise warn, count, keep the call owed
        String mismatch = dev.clarisync.api.AnswerIntegrity.detailsMismatch(entry.callId(), obj);
        if (mismatch != null) {
            run.stats().countRejected();
            answeredForAnother.add(entry.callId());
            LOG.warn("call_details: {}: not stored; the call stays owed", mismatch);
            return DetailsResult.alreadyFetched(entry);
        }
        SpeakerResolver.enrich(obj, userNames);
        DetailsResult r = DetailsResult.fetched(entry, obj);
        results.put(entry.callId(), r);
        return r;
    }

    /**
     * Writes the batch in one transaction: changed details, deleted marks, processed versions, backlog
     * removal. Reached only when every call of the batch succeeded (the split stops on an exception);
     * a call with no result was skipped by the idempotent consumer (already fetched at this version).
     */
    public void writeBatch() {
        List<BacklogEntry> entries = batch;
        batch = List.of(); // written or failed, never salvaged
        if (!entries.isEmpty()) {
            write(entries);
        }
    }

    /**
     * Called when the sync fails (see clari-sync): if the failure came while a batch was being fetched (the weekly
     * quota ran out, retries were exhausted, an answer was malformed), writes the calls that batch had already fetched
     * or found gone, so no later run pays for them again. The batch's other calls stay in the backlog. Never throws:
     * the sync is failing already, and its own failure is the one to report.
     */
    public void salvage() {
        List<BacklogEntry> answered = batch.stream().filter(e -> results.containsKey(e.callId())).toList();
        batch = List.of();
        if (answered.isEmpty()) {
            return;
        }
        try {
            write(answered);
            LOG.info("call_details: saved the {} details fetched before the failure", answered.size());
        } catch (RuntimeException e) {
            LOG.warn("call_details: could not save the {} details fetched before the failure: {}", answered.size(), e.getMessage());
        }
    }

    /** Writes these entries' results; an entry without one was skipped as already fetched at its version. */
    private void write(List<BacklogEntry> entries) {
        List<DetailsResult> results = entries.stream()
                .map(e -> this.results.getOrDefault(e.callId(), DetailsResult.alreadyFetched(e))).toList();
        List<String> fetchedIds = results.stream().filter(r -> r.kind() == DetailsResult.Kind.FETCHED).map(r -> r.entry().callId()).toList();
        Map<String, String> storedHashes = warehouse.processedVersions(CONTENT_SCOPE, fetchedIds);
        List<JsonNode> changed = new ArrayList<>();
        Map<String, String> newHashes = new LinkedHashMap<>();
        Map<String, String> versions = new LinkedHashMap<>();
        List<String> gone = new ArrayList<>();
        for (DetailsResult r : results) {
            String id = r.entry().callId();
            switch (r.kind()) {
                case FETCHED -> {
                    String hash = r.contentHash();
                    if (!hash.equals(storedHashes.get(id))) {
                        changed.add(r.call());
                        newHashes.put(id, hash);
                    }
                    versions.put(id, r.entry().version());
                }
                case NOT_FOUND -> {
                    gone.add(id);
                    versions.put(id, r.entry().version());
                }
                case ALREADY_FETCHED -> { }
            }
        }
        List<String> all = results.stream().map(r -> r.entry().callId())
                .filter(id -> !answeredForAnother.contains(id)).toList(); // schema contract (#14): still owed
        WriteCounts counts = warehouse.inTransaction(tx -> {
            WriteCounts c = changed.isEmpty() ? WriteCounts.EMPTY : tx.upsert(STREAM, changed, Instant.now());
            if (!gone.isEmpty() && warehouse.tableExists(STREAM)) {
                tx.markDeleted(STREAM, gone);
            }
            tx.markProcessed(STREAM, versions);
            tx.markProcessed(CONTENT_SCOPE, newHashes);
            backlog.remove(tx, all);
            budget.record(tx);
            return c;
        });
        run.stats().addRows(counts.asMap());
        int n = done.addAndGet(results.size());
        run.stats().detailsDone(results.size());
        LOG.info("call_details: {}/{} done ({} written, {} unchanged, {} not found)", n, owed, changed.size(),
                results.size() - changed.size() - gone.size(), gone.size());
    }
}
