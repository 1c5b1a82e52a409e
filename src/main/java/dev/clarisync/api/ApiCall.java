package dev.clarisync.api;

import dev.clarisync.routes.ExchangeProperties;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpMethods;

/**
 * Prepares the exchange for the shared {@code clari-api} route: which path and query to request.
 * Callers set the exchange properties {@link ExchangeProperties#PATH} and {@link ExchangeProperties#QUERY}; this bean turns them into the
 * HTTP component's headers and clears everything else, so no stray header (a previous response's, or
 * an internal one) is ever sent to Clari. Credentials are not here: {@link ClariAuth} adds them at the
 * HTTP-client level, out of the Camel message.
 */
public final class ApiCall {

    /** Route step: sets method and full URI (the target account's base URL) for the next request. */
    public void prepare(Exchange exchange) {
        String baseUrl = target(exchange).baseUrl();
        String path = exchange.getProperty(ExchangeProperties.PATH, String.class);
        String query = exchange.getProperty(ExchangeProperties.QUERY, String.class);
        exchange.setProperty(ExchangeProperties.ATTEMPT, exchange.getProperty(ExchangeProperties.ATTEMPT, 0, Integer.class) + 1);
        exchange.setProperty(ExchangeProperties.REQUEST_OUT, true);
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
        ApiTarget target = exchange.getProperty(ExchangeProperties.RUN, ApiTarget.class);
        if (target == null) {
            throw new IllegalStateException("no " + ExchangeProperties.RUN + " on the exchange: which account is this request for?");
        }
        return target;
    }

    /** Sets the request an exchange will make; used by the stream beans. */
    public static void request(Exchange exchange, String path, String query) {
        exchange.setProperty(ExchangeProperties.PATH, path);
        exchange.setProperty(ExchangeProperties.QUERY, query);
        exchange.setProperty(ExchangeProperties.ATTEMPT, 0);
        exchange.setProperty(ExchangeProperties.FIRST_ATTEMPT, System.nanoTime());
        // Camel's count of the previous request's redeliveries is not this request's (RetryPolicy reads it)
        exchange.getMessage().removeHeader(Exchange.REDELIVERY_COUNTER);
        exchange.removeProperty(ExchangeProperties.NOT_FOUND_IS_ANSWER);
        // a new request is not a page until its stream says so (split exchanges copy the last page's property)
        exchange.removeProperty(ExchangeProperties.PAGE);
    }

    /** The request's answer was read: a failure from here on is not the request's (see {@link ExchangeProperties#REQUEST_OUT}). */
    public void answered(Exchange exchange) {
        settled(exchange);
    }

    /** The request's answer was handled (read, or set aside by the error handler): see {@link ExchangeProperties#REQUEST_OUT}. */
    public static void settled(Exchange exchange) {
        exchange.removeProperty(ExchangeProperties.REQUEST_OUT);
    }

    /** Whether the exchange's current failure came while its request was out (so sending it again may help). */
    public static boolean requestOut(Exchange exchange) {
        return exchange.getProperty(ExchangeProperties.REQUEST_OUT, false, Boolean.class);
    }

    /** Marks the request just set as one whose 404 means the record is gone (a per-parent fetch). */
    public static void notFoundIsAnswer(Exchange exchange) {
        exchange.setProperty(ExchangeProperties.NOT_FOUND_IS_ANSWER, true);
    }

    /**
     * Retries already made at the current request: the attempts {@link #prepare} counted, or Camel's own redelivery
     * counter (which, while a retry is decided on, already counts that redelivery) if it is higher. Only a failure
     * while the request is out is retried ({@link #requestOut}), and each retry passes {@link #prepare}, so the two
     * agree; the counter is the bound that holds even if a retry ever skipped {@link #prepare}.
     */
    public static int retriesDone(Exchange exchange) {
        int sent = exchange.getProperty(ExchangeProperties.ATTEMPT, 1, Integer.class) - 1;
        int redelivered = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class) - 1;
        return Math.max(0, Math.max(sent, redelivered));
    }

    /** Milliseconds since the current request's first attempt; 0 when unknown. */
    public static long millisSinceFirstAttempt(Exchange exchange) {
        Long first = exchange.getProperty(ExchangeProperties.FIRST_ATTEMPT, Long.class);
        return first == null ? 0 : (System.nanoTime() - first) / 1_000_000;
    }

    /** "GET /calls?skip=0..." for messages. */
    public static String describe(Exchange exchange) {
        String query = exchange.getProperty(ExchangeProperties.QUERY, String.class);
        return "GET " + exchange.getProperty(ExchangeProperties.PATH, String.class) + (query == null || query.isEmpty() ? "" : "?" + query);
    }
}
