package dev.clarisync.routes;

/**
 * Every exchange-property name the connector's routes ({@code routes/*.camel.yaml}) and beans share, in one place,
 * each with who sets it and who reads it. A bean takes one with {@code @ExchangeProperty(ExchangeProperties.RUN)}; a
 * route with {@code ${exchangeProperty.clariRun}} or {@code setProperty: name: clariWorkspace}. {@code
 * ExchangePropertiesTest} checks that every name a route uses is declared here and every name here is used, and that
 * no other class declares one. This package depends on nothing of the connector's, so {@code api/}, {@code sync/},
 * {@code report/} and {@code camel/} all see it without a cycle.
 */
public final class ExchangeProperties {

    // --- one sync run (clari-sync) ---

    /**
     * The run's {@code sync.RunContext}, also the {@code api.ApiTarget} (the account) a request is for. Set by {@code
     * syncRun.tryBegin} (a sync) and {@code syncRun.probe} ({@code check}); read by every stream bean, by {@code
     * clari-api} ({@code ${exchangeProperty.clariRun.baseUrl()}}), {@code ApiCall}, {@code ApiResponses} and {@code
     * RetryPolicy}.
     */
    public static final String RUN = "clariRun";
    /**
     * The stream in hand, a {@code sync.StreamSpec}. Set by {@code syncRun.nextStream} in clari-sync's loop; read by
     * clari-sync ({@code toD: direct:${exchangeProperty.clariSpec.route()}}), {@code syncRun.unavailable}/{@code
     * skipStream}, {@code listStream.begin} and {@code perParentStream.begin}.
     */
    public static final String SPEC = "clariSpec";
    /**
     * The run's hold on its warehouse (released when the run ends). Set by {@code syncRun.tryBegin}; read and removed by
     * {@code syncRun.releaseWarehouse}, clari-sync's last step.
     */
    public static final String WAREHOUSE_HOLD = "clariWarehouseHold";
    /** The run's warehouse. Set by {@code syncRun.tryBegin}; read by {@code analyticsRefresh}. */
    public static final String WAREHOUSE = "clariWarehouse";
    /**
     * Rows the run wrote (a long). Set by {@code syncRun.failed}; read by {@code analyticsRefresh.refreshAfterFailure} (a
     * failed run that wrote rows still refreshes the views).
     */
    public static final String ROWS_WRITTEN = "clariRowsWritten";
    /**
     * The workspace a sync of {@code clari-sync-all} is for (headers do not survive the HTTP calls). Set by
     * clari-sync-all ({@code setProperty}); read by {@code workspaceSyncs} (the split's aggregation) and {@code
     * analyticsRefresh}.
     */
    public static final String WORKSPACE = "clariWorkspace";
    /**
     * A header, not a property: the account to sync or check (absent: the default account). Set by the caller (the
     * CLI, clari-sync-all's split); read by {@code syncRun.tryBegin} and {@code syncRun.probe}.
     */
    public static final String ACCOUNT_HEADER = "clariAccount";

    // --- one request (clari-api) ---

    /** The path to request. Set by {@code ApiCall.request} (or the caller of clari-check); read by {@code ApiCall.prepare}/{@code describe}. */
    public static final String PATH = "clariPath";
    /**
     * The query to send. Set by {@code ApiCall.request} (or the caller of clari-check); lowered to the account's page
     * size by {@code PageSizePolicy}; read by {@code ApiCall.prepare}/{@code describe}.
     */
    public static final String QUERY = "clariQuery";
    /** Attempts made at the current request (1 on the first try). Reset by {@code ApiCall.request}, counted by {@code ApiCall.prepare}; read by {@code ApiCall.retriesDone}. */
    public static final String ATTEMPT = "clariAttempt";
    /** {@link System#nanoTime()} of the current request's first attempt. Set by {@code ApiCall.request}; read by {@code RetryPolicy} (the retry time budget). */
    public static final String FIRST_ATTEMPT = "clariFirstAttempt";
    /** A 404 to this request is an answer, not a failure. Set by {@code ApiCall.notFoundIsAnswer} (per-parent requests); read by {@code ApiResponses}. */
    public static final String NOT_FOUND_IS_ANSWER = "clariNotFoundIsAnswer";
    /**
     * Set while a request is out (from {@code ApiCall.prepare} until its answer is parsed, cleared by {@code
     * ApiCall.answered}/{@code settled}): read by {@code RetryPolicy}, since only a failure inside {@code clari-api} is
     * a request to send again; a later step's failure would re-run that step alone, on the same answer.
     */
    public static final String REQUEST_OUT = "clariRequestOut";
    /** When the request left the limiter ({@code System.nanoTime()}). Set by {@code ClariRateLimiter}; read by it and by {@code PerParentStream} (answer time). */
    public static final String SENT_AT = "clariSentAt";
    /**
     * An offset page's {@code api.PageRequest}. Set by {@code listStream} with the request; lowered by {@code
     * PageSizePolicy} when the account's page size is smaller; read by {@code listStream} (the size asked for); cleared
     * by {@code ApiCall.request}.
     */
    public static final String PAGE = "clariPage";
    /** The raw bytes of an answer, kept for a set-aside record. Set by {@code ApiResponses}; read and removed by {@code PerParentStream}. */
    public static final String ANSWER_BYTES = "clariAnswerBytes";

    // --- one stream (clari-stream, clari-stream-per-parent) ---

    /** A list stream's walk ({@code sync.StreamPass}). Set by {@code listStream.begin}; read by {@code hasNextPage}, {@code nextPage}, {@code readPage} and {@code writePage}. */
    public static final String PASS = "clariPass";
    /** A per-parent stream's walk ({@code sync.ParentPass}). Set by {@code perParentStream.begin}; read by its later steps and the error handler's {@code setsAside}. */
    public static final String PARENT_PASS = "clariParentPass";
    /**
     * id → version the warehouse holds for a details batch's records: the idempotent consumer's memory. Set by {@code
     * perParentStream.open} (each part, its batch's map); read by {@code WarehouseIdempotentRepository} ({@code
     * #processedVersions}) in clari-stream-per-parent. A list stream applies the same rule to its page in {@code readPage}.
     */
    public static final String KNOWN = "clariKnown";
    /**
     * A split part of a per-parent stream ({@code sync.DetailsPart}). Set by {@code perParentStream.open}; read by {@code
     * perParentStream.handBack}, the error handler's {@code partFailed}, {@code PerParentStream.sending} (from clari-api, as the
     * request leaves the limiter) and {@code read} (the answer time).
     */
    public static final String PART = "clariPart";
    /** The backlog entry a per-parent request is for. Set by {@code perParentStream.request}; read by {@code read} and the error handler's {@code setsAside} and {@code setAside}. */
    public static final String ENTRY = "clariBacklogEntry";

    private ExchangeProperties() {
    }
}
