package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.api.ApiCall;
import dev.clarisync.api.ApiResponses;
import dev.clarisync.api.CallsWindowScan;
import dev.clarisync.api.CallsWindowScan.Step;
import dev.clarisync.api.ClariTime;
import dev.clarisync.api.PageRequest;
import dev.clarisync.api.PageSizePolicy;
import dev.clarisync.api.Pagination;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.ops.Plural;
import dev.clarisync.routes.ExchangeProperties;
import dev.clarisync.schema.FlatBatch;
import dev.clarisync.schema.Flattener;
import dev.clarisync.warehouse.WriteCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine for list streams (any {@link StreamSpec} without a parent), driven by the
 * {@code clari-stream} route: {@link #begin}, then while {@link #hasNextPage}: {@link #nextPage} (the request) →
 * {@code clari-api} → {@link #readPage} (the page's new or changed records) → {@link #writePage} (one transaction).
 * Stateless: the run is the {@link RunContext} and the walk is the {@link StreamPass}, both on the exchange; the
 * records to write are the message body between the last two steps.
 *
 * <p>A cursor stream reads from its stored cursor minus the lookback (first run:
 * {@code clari.sync.start-date}) up to the run's frozen start; the cursor moves only with a completed
 * window, in the same transaction as that window's last page. A full-refresh stream reads the whole list,
 * writes the records whose content hash changed and removes those no longer listed, in one transaction.
 */
public final class ListStream {
    private static final Logger LOG = LoggerFactory.getLogger(ListStream.class);

    /** Plans this run's pages of the stream on the exchange ({@value ExchangeProperties#PASS}). */
    public void begin(@ExchangeProperty(ExchangeProperties.RUN) RunContext run, @ExchangeProperty(ExchangeProperties.SPEC) StreamSpec spec,
                      Exchange exchange) {
        run.privacy().beforeStream(spec); // hashing settings checked, scope re-evaluated before the cursor is read
        CallsWindowScan scan = null;
        boolean backfill = false;
        if (spec.paging() == StreamSpec.Paging.OFFSET_WINDOWS) {
            ConnectorSettings s = run.settings();
            String cursor = run.warehouse().readState(spec.name()).get(StreamCatalog.CURSOR);
            backfill = cursor == null;
            Instant from = cursor == null ? s.startDate() : Instant.parse(cursor).minus(spec.cursor().lookback());
            Instant to = run.startedAt();
            scan = new CallsWindowScan(from, to, s.pageSize(), s.maxSkip(), s.maxRescans());
            LOG.info("{}: reading changes from {} to {}{}", spec.name(), ClariTime.format(from), ClariTime.format(to),
                    cursor == null ? " (first run: clari.sync.start-date)"
                            : " (cursor " + cursor + " minus lookback " + spec.cursor().lookback() + ")");
        }
        run.stats().phase(spec);
        exchange.setProperty(ExchangeProperties.PASS, new StreamPass(spec, scan, backfill));
    }

    /** Whether a page is left; when the cursor scan is done, plans the list reconciliation ({@link ListReconciliation}). */
    public boolean hasNextPage(@ExchangeProperty(ExchangeProperties.RUN) RunContext run, @ExchangeProperty(ExchangeProperties.PASS) StreamPass pass) {
        return pass.hasNextPage(backfill -> ListReconciliation.plan(run, pass.spec(), backfill));
    }

    /** Sets the next request on the exchange, once the week's budget allows it. */
    public void nextPage(@ExchangeProperty(ExchangeProperties.RUN) RunContext run, @ExchangeProperty(ExchangeProperties.PASS) StreamPass pass,
                         Exchange exchange) {
        // hook: the request budget (and any per-account limiter) is asked here, before each list request
        run.budget().allowance(1);
        StreamSpec spec = pass.spec();
        PageRequest request = pass.nextRequest();
        if (request == null) {
            ApiCall.request(exchange, spec.path(), spec.fixedQuery());
            return;
        }
        run.stats().window(request.window() + (request.skip() > 0 ? " skip " + request.skip() : ""));
        String query = (pass.reconciling() ? spec.reconcile().gtParam() : spec.cursor().gtParam()) + "="
                + ClariTime.format(request.window().filterModifiedGt())
                + "&" + (pass.reconciling() ? spec.reconcile().ltParam() : spec.cursor().ltParam()) + "="
                + ClariTime.format(request.window().filterModifiedLt())
                + "&skip=" + request.skip() + "&limit=" + request.limit()
                + (spec.fixedQuery().isEmpty() ? "" : "&" + spec.fixedQuery());
        ApiCall.request(exchange, spec.path(), query);
        exchange.setProperty(ExchangeProperties.PAGE, request); // the account's page size may lower the limit (clari-api)
    }

    /**
     * Reads a page: decides what the scan does next and returns the records to write: the valid ones that are new, or
     * changed since the warehouse last stored them (the idempotent consumer's rule, {@link
     * WarehouseIdempotentRepository#firstSeen}, over the page's versions known to {@code _processed}, read in one
     * query). Empty when the page is dropped (a window split above the offset cap).
     */
    public List<JsonNode> readPage(@ExchangeProperty(ExchangeProperties.RUN) RunContext run,
                                   @ExchangeProperty(ExchangeProperties.PASS) StreamPass pass, @Body JsonNode page, Exchange exchange) {
        StreamSpec spec = pass.spec();
        JsonNode records = ApiResponses.requireArray(page, spec.selector(), ApiCall.describe(exchange));
        // the size actually asked for, which the account's PageSizePolicy may have lowered (a windowed page's only)
        PageRequest asked = exchange.getProperty(ExchangeProperties.PAGE, PageRequest.class);
        var window = pass.scan() == null ? null : pass.scan().window();
        Step step = pass.pageRead(records.size(), () -> Pagination.of(page), asked == null ? 0 : asked.limit());
        if (step != null) {
            switch (step) {
                case SPLIT -> {
                    LOG.info("{}: window {} matches {} records, above the offset cap of {}: split in two", spec.name(),
                            window, Pagination.of(page).matched(), run.settings().maxSkip());
                    return List.of();
                }
                case RESCAN -> LOG.warn("{}: {} during the scan of window {}; rescanning it", spec.name(),
                        pass.scan().lastRescanReason(), window);
                default -> { }
            }
        }
        List<JsonNode> valid = new ArrayList<>(records.size());
        List<String> ids = new ArrayList<>(records.size());
        int index = 0;
        for (JsonNode record : records) {
            String problem = RecordCheck.problem(record, spec.primaryKey());
            if (problem != null) {
                run.stats().countRejected();
                LOG.warn("{}: rejected record #{} of {}: {}", spec.name(), index, ApiCall.describe(exchange), problem);
            } else {
                JsonNode keyed = keyed(spec, record);
                valid.add(keyed);
                ids.add(keyed.get("id").asText());
            }
            index++;
        }
        if (spec.fullRefresh()) {
            pass.listed(ids);
        }
        run.privacy().observeUsers(spec, valid);
        run.stats().seen(spec, valid.size());
        Map<String, String> known = WarehouseIdempotentRepository.known(run, spec.name(), ids);
        List<JsonNode> changed = new ArrayList<>(valid.size());
        for (JsonNode record : valid) {
            if (WarehouseIdempotentRepository.firstSeen(known, record.get("id").asText(), pass.version(record))) {
                changed.add(record);
            }
        }
        return changed;
    }

    /**
     * The record as stored: a record keyed on another field than {@code id} (topics: {@code topic_id}) gets {@code id} =
     * that key first, since every root table, {@code _processed} and removal key on {@code id}.
     */
    static JsonNode keyed(StreamSpec spec, JsonNode record) {
        if ("id".equals(spec.primaryKey())) {
            return record;
        }
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        copy.set("id", record.get(spec.primaryKey()));
        record.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("id")) {
                copy.set(f.getKey(), f.getValue());
            }
        });
        return copy;
    }

    /**
     * A full-refresh record's version, or one of a stream windowed on a time its records do not carry (scorecards), is
     * its content hash; a cursor stream's is its cursor field and its content hash, so a list edit that leaves the
     * cursor field alone (a CRM field) is still a new version when the record is read again (lookback,
     * {@link ListReconciliation}).
     */
    static String version(StreamSpec spec, JsonNode record) {
        if (spec.versionedByContent()) {
            return ContentHash.of(record);
        }
        JsonNode v = record.get(spec.cursor().field());
        return (v == null || v.isNull() ? "" : v.asText()) + "#" + ContentHash.of(record);
    }

    /**
     * Commits the page's new or changed records, their processed versions, what their child streams now owe, and
     * (when the page completes a window) the cursor, or (when it completes a full refresh) the removal of records no
     * longer listed, in one transaction.
     */
    public void writePage(@ExchangeProperty(ExchangeProperties.RUN) RunContext run, @ExchangeProperty(ExchangeProperties.PASS) StreamPass pass,
                          @Body List<JsonNode> changed) {
        StreamSpec spec = pass.spec();
        boolean unitDone = pass.unitDone();
        if (changed.isEmpty() && !unitDone) {
            return;
        }
        Instant cursor = pass.cursorReached();
        boolean reconciled = pass.reconciliationDone();
        Instant now = run.now();
        List<StreamSpec> children = spec.children(run.account().catalog());
        int[] removed = {0};
        // versions from the records as Clari sent them; what is stored has passed the privacy filter (and the scope)
        Map<String, String> versions = new LinkedHashMap<>();
        RunPrivacy.Written written = run.privacy().forWrite(spec, changed);
        changed.stream().filter(r -> !written.outOfScope().contains(r.get("id").asText()))
                .forEach(r -> versions.put(r.get("id").asText(), pass.version(r)));
        List<JsonNode> stored = written.records();
        FlatBatch rows = Flattener.flatten(spec.name(), stored); // before the transaction: flattening holds no lock
        WriteCounts counts = run.warehouse().inTransaction(tx -> {
            WriteCounts c = WriteCounts.EMPTY;
            if (!versions.isEmpty()) {
                // hook: where a page's flattened records are written (schema evolved, rows upserted)
                c = stored.isEmpty() ? WriteCounts.EMPTY : tx.upsert(rows, now);
                // before markProcessed: the backlog asks which of these records were processed before
                for (StreamSpec child : children) {
                    run.backlog().enqueue(tx, spec.name(), child.parent(), stored, v -> versions.get(v.get("id").asText()), now);
                }
                tx.markProcessed(spec.name(), versions);
            }
            if (unitDone && cursor != null) {
                tx.putState(spec.name(), StreamCatalog.CURSOR, ClariTime.format(cursor));
            }
            if (reconciled) {
                tx.putState(spec.name(), ListReconciliation.LAST, ClariTime.format(run.startedAt()));
            }
            if (unitDone && spec.fullRefresh()) {
                removed[0] = tx.deleteAllExcept(spec.name(), pass.listed());
            }
            run.budget().record(tx);
            return c;
        });
        run.account().committed(spec.name(), changed);
        run.stats().changed(spec, changed.size());
        run.stats().addRows(counts.asMap());
        if (reconciled) {
            LOG.info("{}: list reconciliation done ({} so far)", spec.name(), Plural.of(pass.pages(), "page"));
        }
        if (unitDone && cursor != null) {
            LOG.info("{}: window complete, cursor at {} ({} so far)", spec.name(), ClariTime.format(cursor), Plural.of(pass.pages(), "page"));
        }
        if (unitDone && spec.fullRefresh()) {
            if (removed[0] > 0) {
                LOG.info("{}: {} records no longer listed by Clari were removed", spec.name(), removed[0]);
            }
            LOG.info("{}: {} {}, {} new or changed", spec.name(), pass.listed().size(), spec.name(), changed.size());
        }
    }
}
