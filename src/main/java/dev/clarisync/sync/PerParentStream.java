package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.api.AnswerIntegrity;
import dev.clarisync.api.ApiCall;
import dev.clarisync.api.ApiResponses;
import dev.clarisync.api.InFlightWindow;
import dev.clarisync.api.UnreadableAnswerException;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.ops.Plural;
import dev.clarisync.routes.ExchangeProperties;
import dev.clarisync.schema.FlatBatch;
import dev.clarisync.schema.Flattener;
import dev.clarisync.warehouse.RejectedRecordsStore;
import dev.clarisync.warehouse.Warehouse;
import dev.clarisync.warehouse.WriteCounts;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine for per-parent streams (a {@link StreamSpec} with a {@link StreamSpec.Parent}: today
 * {@code call_details}), driven by the {@code clari-stream-per-parent} route: {@link #begin} (whose body is the owed
 * entries, {@link OwedDetails}), then one streaming parallel split over them (each part's result handed back by
 * {@link #handBack}): {@link #open} → idempotent filter on {@link #versionKey} → {@link #request} →
 * {@code clari-api} → {@link #read}, then {@link #writesDone}. Requests in flight follow the answer time up to
 * {@code clari.details.max-in-flight} ({@link InFlightWindow}), with no barrier between batches; a batch is written
 * on a {@link BatchWriter} thread once all its entries are answered, while later ones are fetched. When the sync
 * fails part-way, {@link #salvage} keeps what was fetched.
 * Stateless: the run, the walk ({@link ParentPass}) and the part ({@link DetailsPart}) are on the exchange.
 *
 * <p>Request cost: one request per ready parent record that is new or whose version changed; zero when
 * nothing changed. {@code clari.details.mode=full} re-fetches every stored ready parent once;
 * {@link DetailsRechecks} re-fetches each ready parent once at each age of {@code clari.details.recheck-after}
 * (after every owed new or changed record) and writes only records whose content changed.
 */
public final class PerParentStream {
    private static final Logger LOG = LoggerFactory.getLogger(PerParentStream.class);

    /** Scope of {@code _processed} holding each record's content hash. */
    static String contentScope(StreamSpec spec) {
        return spec.name() + "#content";
    }

    /**
     * Threads that fetch details, made on demand and ended after a minute idle: each run's {@link InFlightWindow}
     * bounds its requests out (up to {@code clari.details.max-in-flight}, plus the split's one iterating thread), and
     * the shared limiter, not this pool, bounds the request rate.
     */
    public static ExecutorService newPool() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "clari-details-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queues full reloads and due reconciliations, puts the walk on the exchange ({@value ExchangeProperties#PARENT_PASS}) and
     * returns the owed entries, handed out as the in-flight window allows (the split's body).
     */
    public Iterator<DetailsPart> begin(@ExchangeProperty(ExchangeProperties.RUN) RunContext run, @ExchangeProperty(ExchangeProperties.SPEC) StreamSpec spec,
                      Exchange exchange) {
        run.privacy().beforeStream(spec); // hashing settings checked, calls outside a changed scope removed from the backlog
        ConnectorSettings settings = run.settings();
        Warehouse warehouse = run.warehouse();
        DetailsBacklog backlog = run.backlog();
        if ("full".equals(settings.detailsMode())) {
            int n = warehouse.inTransaction(tx -> backlog.enqueueStored(tx, spec.parent(), null, null, run.now()));
            LOG.info("{}: full reload requested: {} finished calls queued (one request each)", spec.name(), n);
        } else {
            int n = DetailsRechecks.queue(run, spec);
            if (n > 0) {
                LOG.info("{}: {} reached a re-check age ({}) and queued behind owed new work", spec.name(),
                        Plural.of(n, "finished call"), settings.detailsRecheckAfter());
            }
        }
        long owed = backlog.size();
        Map<String, String> names = spec.enrichment() == StreamSpec.Enrichment.TRANSCRIPT_SPEAKERS ? userNames(warehouse) : Map.of();
        ParentPass pass = new ParentPass(spec, names, owed, run.account().rejected().ids(spec.name()));
        exchange.setProperty(ExchangeProperties.PARENT_PASS, pass);
        run.stats().phase(spec);
        run.stats().detailsOwed(owed);
        LOG.info("{}: {} owed details", spec.name(), Plural.of(owed, "call"));
        int floor = settings.detailsParallelism();
        InFlightWindow window = new InFlightWindow(floor, Math.max(floor, settings.detailsMaxInFlight()), () -> run.limiter().rate());
        OwedDetails owedDetails = new OwedDetails(run, pass, window);
        run.details(owedDetails);
        return owedDetails;
    }

    /** userId → name from the users stream, for speaker names of internal participants. */
    private static Map<String, String> userNames(Warehouse warehouse) {
        return warehouse.pairs(StreamCatalog.USERS, "id", "name");
    }

    /**
     * First step of each part: the entry becomes the body; its batch's known versions (the idempotent consumer's
     * memory) and the part go on the part's exchange.
     */
    public BacklogEntry open(@Body DetailsPart part, Exchange exchange) {
        exchange.setProperty(ExchangeProperties.PART, part);
        exchange.setProperty(ExchangeProperties.KNOWN, part.batch().known);
        return part.entry();
    }

    /** Idempotency key: forced entries (reload, reconciliation) carry the run id, so they are always fetched. */
    public String versionKey(@ExchangeProperty(ExchangeProperties.RUN) RunContext run, @Body BacklogEntry entry) {
        String version = entry.forced() ? entry.version() + "#" + run.runId() : entry.version();
        return WarehouseIdempotentRepository.key(entry.callId(), version);
    }

    /** Sets the request for one entry; where the spec says so, its 404 is an answer (the parent record is gone), not a failure. */
    public void request(@ExchangeProperty(ExchangeProperties.PARENT_PASS) ParentPass pass, @Body BacklogEntry entry, Exchange exchange) {
        exchange.setProperty(ExchangeProperties.ENTRY, entry);
        StreamSpec spec = pass.spec;
        String query = spec.parent().idParam() + "=" + URLEncoder.encode(entry.callId(), StandardCharsets.UTF_8)
                + (spec.fixedQuery().isEmpty() ? "" : "&" + spec.fixedQuery());
        ApiCall.request(exchange, spec.path(), query);
        if (spec.responses().notFound() == StreamSpec.OnNotFound.RECORD_DELETED) {
            ApiCall.notFoundIsAnswer(exchange);
        }
    }

    /**
     * The fetched record, enriched; or, on a 404, the record is gone: logged and counted here, marked deleted when the
     * batch is written. This is the one place the 404-means-deleted rule is applied.
     */
    public DetailsResult read(@ExchangeProperty(ExchangeProperties.RUN) RunContext run, @ExchangeProperty(ExchangeProperties.PARENT_PASS) ParentPass pass,
                              @Body Object answer, Exchange exchange) {
        // a set-aside answer did not pass apiCall.answered: the part's request is over all the same, and a failure in
        // its later steps must not look like a request to retry
        ApiCall.settled(exchange);
        if (answer instanceof DetailsResult setAside) {
            return setAside; // the error handler set this entry's answer aside (see setAside): nothing to read
        }
        JsonNode page = (JsonNode) answer;
        BacklogEntry entry = exchange.getProperty(ExchangeProperties.ENTRY, BacklogEntry.class);
        answerTime(run, exchange);
        if (page == ApiResponses.NOT_FOUND) {
            run.stats().countDetailsNotFound();
            LOG.warn("{}: call {} ('{}') not found (HTTP 404): skipped", pass.spec.name(), entry.callId(), entry.title());
            return DetailsResult.notFound(entry);
        }
        JsonNode record = page.get(pass.spec.selector());
        byte[] bytes = exchange.getProperty(ExchangeProperties.ANSWER_BYTES, byte[].class);
        exchange.removeProperty(ExchangeProperties.ANSWER_BYTES);
        if (!(record instanceof ObjectNode obj) || RecordCheck.problem(record) != null) {
            // a well-formed answer of a shape nothing maps: asking again gets the same, so it is set aside at once
            return DetailsResult.setAside(entry, ApiCall.describe(exchange) + " answered without a '" + pass.spec.selector()
                    + "' object with an id", bytes != null ? UnreadableAnswerException.excerpt(bytes)
                    : UnreadableAnswerException.cut(page.toString()));
        }
        // schema contract (#14): a record is stored only under the id asked for; otherwise warn, count, keep it owed
        String mismatch = AnswerIntegrity.detailsMismatch(entry.callId(), obj);
        if (mismatch != null) {
            run.stats().countRejected();
            LOG.warn("{}: {}: not stored; the call stays owed", pass.spec.name(), mismatch);
            return DetailsResult.answeredForAnother(entry);
        }
        if (pass.spec.enrichment() == StreamSpec.Enrichment.TRANSCRIPT_SPEAKERS) {
            SpeakerResolver.enrich(obj, pass.userNames);
        }
        // the content hash is of the answer as it came; what is stored has passed the privacy filter
        ObjectNode stored = run.privacy().filter().apply(pass.spec.name(), obj);
        return bytes != null ? DetailsResult.fetched(entry, stored, bytes, pass.answerContext)
                : new DetailsResult(entry, DetailsResult.Kind.FETCHED, stored, ContentHash.of(obj));
    }

    /**
     * Last step of each part that did not fail: its result (fetched, found gone, set aside; null when skipped as
     * already fetched) goes to its batch, and its in-flight permit back. A step of the part, not the split's
     * aggregation: a split that ended on another part's failure aggregates nothing more, and the answers still in
     * flight then must reach their batch to be written (a quota stop re-fetched them next run).
     */
    public void handBack(@ExchangeProperty(ExchangeProperties.PART) DetailsPart part, @Body Object body) {
        part.owner().partDone(part, body instanceof DetailsResult result ? result : null);
    }

    /**
     * Error handler ({@code onWhen}): whether a failed exchange is one request of a per-parent stream for one parent
     * record, whose answer the stream's spec says is set aside ({@link StreamSpec.OnUnreadable#SET_ASIDE}, {@link
     * #setAside}) rather than fail the run.
     */
    public boolean setsAside(Exchange exchange) {
        ParentPass pass = exchange.getProperty(ExchangeProperties.PARENT_PASS, ParentPass.class);
        return exchange.getProperty(ExchangeProperties.ENTRY) != null && pass != null
                && pass.spec.responses().unreadable() == StreamSpec.OnUnreadable.SET_ASIDE;
    }

    /**
     * Error handler: the answer to this entry can never be read as it is (an {@link UnreadableAnswerException}), or
     * was still malformed after every retry. The entry becomes a {@link DetailsResult#setAside} result, so the batch
     * goes on without it; it is written to {@code _rejected_records} with the batch and stays owed.
     */
    public DetailsResult setAside(Exchange exchange) {
        BacklogEntry entry = exchange.getProperty(ExchangeProperties.ENTRY, BacklogEntry.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = failure == null ? "unreadable answer" : new Failure(OutcomeKind.FAILED, failure.getMessage()).message();
        exchange.removeProperty(ExchangeProperties.ANSWER_BYTES);
        if (failure instanceof UnreadableAnswerException unreadable) {
            return DetailsResult.setAside(entry, reason, unreadable.answer());
        }
        return DetailsResult.setAside(entry, reason + " (after " + Plural.of(ApiCall.retriesDone(exchange), "retry") + ")", null);
    }

    /**
     * Error handler, after a request failed for good (not set aside): if it was a part of this stream's split, the
     * stream hands out no more requests; the split then ends on this failure, and the sync fails (and salvages).
     * Nothing for any other exchange.
     */
    public void partFailed(Exchange exchange) {
        DetailsPart part = exchange.getProperty(ExchangeProperties.PART, DetailsPart.class);
        if (part != null) {
            Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            part.owner().failed(part, e != null ? e : new IllegalStateException("a details request failed"));
        }
    }

    /** After the split: waits for every batch's write, whose failure fails the stream. Nothing of the stream is left in flight. */
    public void writesDone(@ExchangeProperty(ExchangeProperties.RUN) RunContext run, @ExchangeProperty(ExchangeProperties.PARENT_PASS) ParentPass pass)
            throws Exception {
        OwedDetails owed = run.takeDetails();
        if (owed != null) {
            owed.finish();
        }
        SetAsideLimitException.check(pass.spec.name(), pass.newlySetAside(), pass.done(), run.settings().maxRejected());
    }

    /**
     * Called when the sync fails (see clari-sync): if the failure came while details were being fetched (the weekly
     * quota ran out, retries were exhausted), writes the entries already fetched or found gone, so no later run pays
     * for them again. The other entries stay in the backlog. Never throws: the sync is failing already, and its own
     * failure is the one to report. The one place salvage lives ({@link OwedDetails#salvage}).
     */
    public void salvage(@ExchangeProperty(ExchangeProperties.RUN) RunContext run) {
        if (run == null) {
            return;
        }
        OwedDetails owed = run.takeDetails();
        if (owed != null) {
            owed.salvage();
        }
    }

    /** {@code clari-api}, as a part's request leaves the limiter: it no longer needs a reservation of the budget. */
    static void sending(Exchange exchange) {
        DetailsPart part = exchange.getProperty(ExchangeProperties.PART, DetailsPart.class);
        if (part != null) {
            part.owner().sent(part);
        }
    }

    /** The answer time of this part's request (from leaving the limiter to its answer read), for its window. */
    private static void answerTime(RunContext run, Exchange exchange) {
        DetailsPart part = exchange.getProperty(ExchangeProperties.PART, DetailsPart.class);
        Long sentAt = exchange.getProperty(ExchangeProperties.SENT_AT, Long.class);
        if (part != null && sentAt != null) {
            part.owner().window().answered(run.limiter().since(sentAt));
        }
    }

    /** Writes a batch's results in one transaction (changed records, deleted marks, processed versions, backlog removal). */
    static void write(RunContext run, ParentPass pass, List<DetailsResult> results) {
        StreamSpec spec = pass.spec;
        Warehouse warehouse = run.warehouse();
        String contentScope = contentScope(spec);
        List<String> fetchedIds = results.stream().filter(r -> r.kind() == DetailsResult.Kind.FETCHED).map(r -> r.entry().callId()).toList();
        Map<String, String> storedHashes = warehouse.processedVersions(contentScope, fetchedIds);
        List<JsonNode> changed = new ArrayList<>();
        Map<String, String> newHashes = new LinkedHashMap<>();
        Map<String, String> versions = new LinkedHashMap<>();
        List<String> gone = new ArrayList<>();
        List<RejectedRecordsStore.Rejected> setAside = new ArrayList<>();
        List<String> landed = new ArrayList<>();
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
                case SET_ASIDE -> {
                    setAside.add(new RejectedRecordsStore.Rejected(id, r.reason(),
                            run.privacy().filter().applyToAnswer(spec.name(), r.answer())));
                    LOG.warn("{}: call {} ('{}') set aside: {}", spec.name(), id, r.entry().title(), r.reason());
                }
                case ALREADY_FETCHED, ANSWERED_FOR_ANOTHER -> { }
            }
            if (r.kind() != DetailsResult.Kind.SET_ASIDE && pass.setAsideBefore.contains(id)) {
                landed.add(id);
            }
        }
        // an entry answered with another record, or set aside, stays in the backlog: each later run tries it once more
        List<String> all = results.stream().filter(r -> r.kind() != DetailsResult.Kind.ANSWERED_FOR_ANOTHER
                        && r.kind() != DetailsResult.Kind.SET_ASIDE).map(r -> r.entry().callId()).toList();
        RejectedRecordsStore rejected = run.account().rejected();
        int[] newlySetAside = new int[1];
        Instant now = run.now();
        FlatBatch rows = Flattener.flatten(spec.name(), changed); // before the transaction: flattening holds no lock
        WriteCounts counts = warehouse.inTransaction(tx -> {
            // hook: where a batch's flattened records are written (schema evolved, rows upserted)
            WriteCounts c = changed.isEmpty() ? WriteCounts.EMPTY : tx.upsert(rows, now);
            if (!gone.isEmpty() && warehouse.tableExists(spec.name())) {
                tx.markDeleted(spec.name(), gone);
            }
            tx.markProcessed(spec.name(), versions);
            tx.markProcessed(contentScope, newHashes);
            run.backlog().remove(tx, all);
            if (!setAside.isEmpty()) {
                newlySetAside[0] = rejected.setAside(tx, spec.name(), setAside, now);
            }
            rejected.landed(tx, spec.name(), landed);
            run.budget().record(tx);
            return c;
        });
        run.account().committed(spec.name(), changed);
        if (!setAside.isEmpty()) {
            run.stats().setAside(spec.name(), setAside.size());
        }
        run.stats().addRows(counts.asMap());
        long done = pass.written(results.size(), setAside.size(), newlySetAside[0]);
        run.stats().detailsDone(results.size());
        LOG.info("{}: {}/{} done ({} written, {} unchanged, {} not found{})", spec.name(), done, pass.owed, changed.size(),
                results.size() - changed.size() - gone.size() - setAside.size(), gone.size(),
                setAside.isEmpty() ? "" : ", " + setAside.size() + " set aside");
    }
}
