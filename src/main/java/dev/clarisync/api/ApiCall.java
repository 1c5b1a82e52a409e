package dev.clarisync.api;

import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpMethods;

/**
 * Prepares the exchange for the shared {@code clari-api} route: which path and query to request.
 * Callers set the exchange properties {@link #PATH} and {@link #QUERY}; this bean turns them into the
 * HTTP component's headers and clears everything else, so no stray header (a previous response's, or
 * an internal one) is ever sent to Clari. Credentials are not here: {@link ClariAuth} adds them at the
 * HTTP-client level, out of the Camel message.
 */
public final class ApiCall {
    public static final String PATH = "clariPath";
    public static final String QUERY = "clariQuery";
    /** Attempts made at the current request (1 on the first try); reset by {@link #request}. */
    public static final String ATTEMPT = "clariAttempt";
    /** Exchange property: {@link System#nanoTime()} of the current request's first attempt (set by {@link #request}). */
    public static final String FIRST_ATTEMPT = "clariFirstAttempt";
    /** Exchange property holding the {@link ApiTarget}: the account the request is for. */
    public static final String TARGET = "clariRun";
    /** Exchange property: a 404 to this request is an answer ({@link ApiResponses#NOT_FOUND}), not a failure. */
    public static final String NOT_FOUND_IS_ANSWER = "clariNotFoundIsAnswer";
    /**
     * Exchange property, set while a request is out (from {@link #prepare} until its answer is parsed): only a failure
     * inside {@code clari-api} is a request to send again. A later step's failure (a write, the end of a stream) is
     * not: Camel would re-run that step alone, on the same answer.
     */
    public static final String REQUEST_OUT = "clariRequestOut";

    /** Route step: sets method and full URI (the target account's base URL) for the next request. */
    public void prepare(Exchange exchange) {
        String baseUrl = target(exchange).baseUrl();
        String path = exchange.getProperty(PATH, String.class);
        String query = exchange.getProperty(QUERY, String.class);
        exchange.setProperty(ATTEMPT, exchange.getProperty(ATTEMPT, 0, Integer.class) + 1);
        exchange.setProperty(REQUEST_OUT, true);
        var msg = exchange.getMessage();
        // keep Camel's redelivery bookkeeping, drop everything else (e.g. the previous response's headers)
        msg.removeHeaders("*", "CamelRedelivery*");
        msg.setBody(null);
        // the enum the HTTP component asks for: a String "GET" made it search every type converter on each request
        msg.setHeader(Exchange.HTTP_METHOD, HttpMethods.GET);
        msg.setHeader(Exchange.HTTP_URI, baseUrl + path + (query == null || query.isEmpty() ? "" : "?" + query));
    }

    /** The account an exchange's request is for. */
    public static ApiTarget target(Exchange exchange) {
        ApiTarget target = exchange.getProperty(TARGET, ApiTarget.class);
        if (target == null) {
            throw new IllegalStateException("no " + TARGET + " on the exchange: which account is this request for?");
        }
        return target;
    }

    /** Sets the request an exchange will make; used by the stream beans. */
    public static void request(Exchange exchange, String path, String query) {
        exchange.setProperty(PATH, path);
        exchange.setProperty(QUERY, query);
        exchange.setProperty(ATTEMPT, 0);
        exchange.setProperty(FIRST_ATTEMPT, System.nanoTime());
        // Camel's count of the previous request's redeliveries is not this request's (RetryPolicy reads it)
        exchange.getMessage().removeHeader(Exchange.REDELIVERY_COUNTER);
        exchange.removeProperty(NOT_FOUND_IS_ANSWER);
        // a new request is not a page until its stream says so (split exchanges copy the last page's property)
        exchange.removeProperty(PageSizePolicy.PAGE);
    }

    /** The request's answer was read: a failure from here on is not the request's (see {@link #REQUEST_OUT}). */
    public void answered(Exchange exchange) {
        settled(exchange);
    }

    /** The request's answer was handled (read, or set aside by the error handler): see {@link #REQUEST_OUT}. */
    public static void settled(Exchange exchange) {
        exchange.removeProperty(REQUEST_OUT);
    }

    /** Whether the exchange's current failure came while its request was out (so sending it again may help). */
    public static boolean requestOut(Exchange exchange) {
        return exchange.getProperty(REQUEST_OUT, false, Boolean.class);
    }

    /** Marks the request just set as one whose 404 means the record is gone (a per-parent fetch). */
    public static void notFoundIsAnswer(Exchange exchange) {
        exchange.setProperty(NOT_FOUND_IS_ANSWER, true);
    }

    /**
     * Retries already made at the current request, whichever step failed: a failure after the answer came (a step that
     * does not pass through {@link #prepare} again) still counts, through Camel's own redelivery counter (which, while
     * a retry is decided on, already counts that redelivery).
     */
    public static int retriesDone(Exchange exchange) {
        int sent = exchange.getProperty(ATTEMPT, 1, Integer.class) - 1;
        int redelivered = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class) - 1;
        return Math.max(0, Math.max(sent, redelivered));
    }

    /** Milliseconds since the current request's first attempt; 0 when unknown. */
    public static long millisSinceFirstAttempt(Exchange exchange) {
        Long first = exchange.getProperty(FIRST_ATTEMPT, Long.class);
        return first == null ? 0 : (System.nanoTime() - first) / 1_000_000;
    }

    /** "GET /calls?skip=0..." for messages. */
    public static String describe(Exchange exchange) {
        String query = exchange.getProperty(QUERY, String.class);
        return "GET " + exchange.getProperty(PATH, String.class) + (query == null || query.isEmpty() ? "" : "?" + query);
    }
}
