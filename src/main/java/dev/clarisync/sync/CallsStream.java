package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.api.ApiCall;
import dev.clarisync.api.ApiResponses;
import dev.clarisync.api.CallsWindowScan;
import dev.clarisync.api.CallsWindowScan.Step;
import dev.clarisync.api.ClariTime;
import dev.clarisync.api.PageRequest;
import dev.clarisync.api.PageSizePolicy;
import dev.clarisync.api.Pagination;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.warehouse.Warehouse;
import dev.clarisync.warehouse.WriteCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code calls} stream, incremental on {@code last_modified_time}. The {@code clari-calls} route
 * drives it page by page: {@link #begin}, then while {@link #hasNextPage}: {@link #nextPage} → HTTP →
 * {@link #readPage} → split → idempotent filter on {@link #versionKey} → {@link #take} → {@link #writePage}.
 *
 * <p>Range of a run: from the stored cursor minus {@code clari.sync.lookback} (first run:
 * {@code clari.sync.start-date}) up to the run's frozen start instant. {@link CallsWindowScan} cuts
 * it into windows the API can page through. The cursor moves only with a completed window, in the
 * same transaction as that window's last page.
 */
public final class CallsStream {
    private static final Logger LOG = LoggerFactory.getLogger(CallsStream.class);
    public static final String STREAM = "calls";
    public static final String CURSOR = "cursor";

    private final ConnectorSettings settings;
    private final Warehouse warehouse;
    private final SyncRun run;
    private final WarehouseIdempotentRepository idempotency;
    private final CallsListener listener;
    private final RequestBudget budget;
    private CallsWindowScan scan;
    private Step step;
    private int pages;
    /** The page's calls that passed the idempotent consumer: the ones to write. */
    private final List<JsonNode> changed = new ArrayList<>();

    /** Told about every page of new or changed calls inside its write transaction (the details backlog listens). */
    public interface CallsListener {
        void changed(dev.clarisync.warehouse.WarehouseTx tx, List<JsonNode> calls);
    }

    public CallsStream(ConnectorSettings settings, Warehouse warehouse, SyncRun run,
                       WarehouseIdempotentRepository idempotency, CallsListener listener, RequestBudget budget) {
        this.settings = settings;
        this.warehouse = warehouse;
        this.run = run;
        this.idempotency = idempotency;
        this.listener = listener;
        this.budget = budget;
    }

    /** Plans this run's range from the stored cursor. */
    public void begin() {
        String cursor = warehouse.readState(STREAM).get(CURSOR);
        Instant from = cursor == null ? settings.startDate() : Instant.parse(cursor).minus(settings.lookback());
        Instant to = run.startedAt();
        scan = new CallsWindowScan(from, to, settings.pageSize(), settings.maxSkip(), settings.maxRescans());
        run.stats().phase(STREAM);
        pages = 0;
        LOG.info("calls: reading changes from {} to {}{}", ClariTime.format(from), ClariTime.format(to),
                cursor == null ? " (first run: clari.sync.start-date)" : " (cursor " + cursor + " minus lookback " + settings.lookback() + ")");
    }

    public boolean hasNextPage() {
        return scan.hasNext();
    }

    /** Sets the next {@code /calls} request on the exchange. */
    public void nextPage(Exchange exchange) {
        budget.allowance(1);
        PageRequest request = scan.next();
        run.stats().window(request.window() + (request.skip() > 0 ? " skip " + request.skip() : ""));
        ApiCall.request(exchange, "/calls", request.query());
        exchange.setProperty(PageSizePolicy.PAGE, request); // issue 13 hook: the page size may back off (clari-api)
    }

    /** Reads a page: decides what the scan does next and returns the valid calls to consider (empty when the page is dropped). */
    public List<JsonNode> readPage(JsonNode page, Exchange exchange) {
        JsonNode calls = ApiResponses.requireArray(page, "calls", ApiCall.describe(exchange));
        var window = scan.window();
        // issue 13 hook: the size actually asked for, which PageSizePolicy may have lowered
        PageRequest asked = exchange.getProperty(PageSizePolicy.PAGE, PageRequest.class);
        step = scan.accept(calls.size(), Pagination.of(page), asked.limit());
        pages++;
        switch (step) {
            case SPLIT -> {
                LOG.info("calls: window {} matches {} calls, above the offset cap of {}: split in two",
                        window, Pagination.of(page).matched(), settings.maxSkip());
                return List.of();
            }
            case RESCAN -> LOG.warn("calls: {} during the scan of window {}; rescanning it", scan.lastRescanReason(), window);
            default -> { }
        }
        List<JsonNode> valid = new ArrayList<>(calls.size());
        List<String> ids = new ArrayList<>(calls.size());
        int index = 0;
        for (JsonNode call : calls) {
            String problem = RecordCheck.problem(call);
            if (problem != null) {
                run.stats().countRejected();
                LOG.warn("calls: rejected record #{} of {}: {}", index, ApiCall.describe(exchange), problem);
            } else {
                valid.add(call);
                ids.add(call.get("id").asText());
            }
            index++;
        }
        run.stats().callsSeen(valid.size());
        idempotency.prefetch(ids);
        changed.clear();
        return valid;
    }

    /** A call the idempotent consumer let through: new, or changed since it was last written. */
    public void take(JsonNode call) {
        changed.add(call);
    }

    /** Idempotency key: a call is new work only when its id or its {@code last_modified_time} is new. */
    public String versionKey(JsonNode call) {
        return WarehouseIdempotentRepository.key(call.get("id").asText(), version(call));
    }

    static String version(JsonNode call) {
        JsonNode v = call.get("last_modified_time");
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** Commits the page's new or changed calls, their processed versions, and (at a window's end) the cursor, in one transaction. */
    public void writePage() {
        boolean windowDone = step == Step.WINDOW_DONE;
        if (changed.isEmpty() && !windowDone) {
            return;
        }
        Instant cursor = scan.completedUpTo();
        WriteCounts counts = warehouse.inTransaction(tx -> {
            WriteCounts c = WriteCounts.EMPTY;
            if (!changed.isEmpty()) {
                c = tx.upsert(STREAM, changed, Instant.now());
                // before markProcessed: the listener may ask which of these calls were processed before
                listener.changed(tx, changed);
                Map<String, String> versions = new LinkedHashMap<>();
                changed.forEach(call -> versions.put(call.get("id").asText(), version(call)));
                tx.markProcessed(STREAM, versions);
            }
            if (windowDone) {
                tx.putState(STREAM, CURSOR, ClariTime.format(cursor));
            }
            budget.record(tx);
            return c;
        });
        run.stats().callsChanged(changed.size());
        run.stats().addRows(counts.asMap());
        changed.clear();
        if (windowDone) {
            LOG.info("calls: window complete, cursor at {} ({} pages so far)", ClariTime.format(cursor), pages);
        }
    }
}
