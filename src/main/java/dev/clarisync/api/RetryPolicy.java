package dev.clarisync.api;

import dev.clarisync.routes.ExchangeProperties;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one retry decision for every Clari request, called by the shared route configuration's
 * {@code retryWhile}. It says whether to try again and sets this attempt's delay
 * ({@link Exchange#REDELIVERY_DELAY}):
 * <ul>
 *   <li>429 "Too Many Requests": wait {@code Retry-After} when sent, else the configured throttle delay;
 *       with a {@link ClariRateLimiter}, the retry leaves at once and the limiter's shared pause (one for
 *       every thread, short unless the 429s persist) does the waiting;</li>
 *   <li>429 "Limit Exceeded" (weekly quota): never retried — the run stops with its progress saved;</li>
 *   <li>5xx, timeouts, resets, malformed bodies: exponential back-off with jitter;</li>
 *   <li>an answer that can never be read as it is ({@link UnreadableAnswerException}): never retried;</li>
 *   <li>anything else (401, 403, 400, 404, our own errors): never retried.</li>
 * </ul>
 * Every request's retries are bounded twice: by {@code clari.api.max-retries} attempts and by a total time; none
 * starts while the connector stops. Only a failure while the request is out ({@link ApiCall#requestOut}: in
 * {@code clari-api}, up to its answer parsed) is retried; a later step's is not.
 */
public final class RetryPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    private final int maxRetries;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Duration throttleDelay;
    private final BiConsumer<Exchange, Decision> onRetry;
    private final Clock clock;
    private final long maxTotalMillis;

    /** A decision: retry or not, after how long, and why (for the log line). */
    public record Decision(boolean retry, long delayMillis, String reason) {
        static Decision stop(String reason) {
            return new Decision(false, 0, reason);
        }
    }

    public RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay, Duration throttleDelay, BiConsumer<Exchange, Decision> onRetry) {
        this(maxRetries, baseDelay, maxDelay, throttleDelay, onRetry, Clock.systemUTC());
    }

    /** @param clock reads "now" for a Retry-After given as an HTTP date */
    public RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay, Duration throttleDelay, BiConsumer<Exchange, Decision> onRetry,
                       Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxRetries = maxRetries;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.throttleDelay = throttleDelay;
        this.onRetry = onRetry;
        // a bound on the time one request may spend in retries, whatever the counters say: every attempt may wait
        // the longest back-off and the long 429 pause
        this.maxTotalMillis = (maxRetries + 1L) * (maxDelay.toMillis() + throttleDelay.toMillis());
    }

    /** {@code retryWhile} predicate. */
    public boolean shouldRetry(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        int done = ApiCall.retriesDone(exchange);
        Decision d = decide(failure, done);
        if (d.retry() && !ApiCall.requestOut(exchange)) {
            // a step after the answer failed (a write, the end of a stream rethrowing a part's failure): Camel would
            // re-run that step alone, on the same answer, and a step that passes the second time hides the failure
            d = Decision.stop("the failure came after the answer was read");
        }
        if (d.retry() && (exchange.getContext().isStopping() || exchange.getContext().isStopped())) {
            d = Decision.stop("the connector is stopping"); // SIGTERM: no new attempt, whatever the failure
        }
        long spent = ApiCall.millisSinceFirstAttempt(exchange);
        if (d.retry() && spent + d.delayMillis() > maxTotalMillis) {
            d = Decision.stop("retries of this request took " + spent / 1000 + " s, the limit is " + maxTotalMillis / 1000 + " s");
        }
        // the account's own limiter and page-size policy, shared by its streams, threads and retries
        ApiTarget target = exchange.getProperty(ExchangeProperties.RUN, ApiTarget.class);
        ClariRateLimiter limiter = target == null ? null : target.limiter();
        if (target != null) {
            target.pageSizes().failed(exchange, failure);
        }
        if (limiter != null && rootOf(failure) instanceof HttpOperationFailedException http && http.getStatusCode() == 429
                && !isQuotaExhausted(http)) {
            // one shared pause for every thread, in the limiter; the retry queues there like any request.
            // With Retry-After this thread also waits it out itself (the same time), as before.
            Long after = retryAfterMillis(http.getResponseHeaders(), clock.instant());
            limiter.tooManyRequests(exchange, after);
            if (d.retry() && after == null) {
                d = new Decision(true, 0, d.reason());
            }
        }
        if (d.retry()) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, d.delayMillis());
            LOG.info("{} failed ({}); retry {}/{} in {} ms", ApiCall.describe(exchange), d.reason(), done + 1, maxRetries, d.delayMillis());
            onRetry.accept(exchange, d);
        }
        return d.retry();
    }

    /** Pure decision for a failure after {@code retriesDone} retries. */
    public Decision decide(Throwable failure, int retriesDone) {
        Throwable t = rootOf(failure);
        if (t instanceof HttpOperationFailedException http) {
            int status = http.getStatusCode();
            if (status == 429) {
                if (isQuotaExhausted(http)) {
                    return Decision.stop("weekly quota exhausted");
                }
                if (retriesDone >= maxRetries) {
                    return Decision.stop("HTTP 429 after " + retriesDone + " retries");
                }
                Long after = retryAfterMillis(http.getResponseHeaders(), clock.instant());
                return new Decision(true, after != null ? after : throttleDelay.toMillis(),
                        "HTTP 429" + (after != null ? ", Retry-After" : ""));
            }
            if (status >= 500 && status <= 599) {
                if (retriesDone >= maxRetries) {
                    return Decision.stop("HTTP " + status + " after " + retriesDone + " retries");
                }
                Long after = retryAfterMillis(http.getResponseHeaders(), clock.instant());
                return new Decision(true, after != null ? after : backoff(retriesDone), "HTTP " + status);
            }
            return Decision.stop("HTTP " + status + " is not retried");
        }
        if (t instanceof UnreadableAnswerException) {
            return Decision.stop("the answer can never be read as it is");
        }
        if (t instanceof IOException || t instanceof MalformedResponseException) {
            if (retriesDone >= maxRetries) {
                return Decision.stop(t.getClass().getSimpleName() + " after " + retriesDone + " retries");
            }
            // says what it waits for: "API unreachable (connection refused)" rather than an exception name
            return new Decision(true, backoff(retriesDone), NetworkFailure.describe(t));
        }
        return Decision.stop("not retryable: " + (t == null ? "unknown" : t.getClass().getSimpleName()));
    }

    /** base × 2^n, capped, with "equal jitter": between half and all of it, so parallel callers spread out. */
    long backoff(int retriesDone) {
        long exp = baseDelay.toMillis() << Math.min(retriesDone, 20);
        long capped = Math.max(1, Math.min(exp, maxDelay.toMillis()));
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }

    public static boolean isQuotaExhausted(HttpOperationFailedException http) {
        String body = http.getResponseBody();
        return http.getStatusCode() == 429 && body != null && body.contains("Limit Exceeded");
    }

    /** Retry-After as seconds or an HTTP date; header names are matched case-insensitively. */
    static Long retryAfterMillis(Map<String, String> headers, Instant now) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().equalsIgnoreCase("Retry-After") && h.getValue() != null) {
                String v = h.getValue().trim();
                try {
                    return Math.max(0, Long.parseLong(v) * 1000);
                } catch (NumberFormatException notSeconds) {
                    try {
                        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                        return Math.max(0, Duration.between(now, at).toMillis());
                    } catch (DateTimeParseException ignored) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    static Throwable rootOf(Throwable t) {
        Throwable cur = t;
        while (cur != null && !(cur instanceof HttpOperationFailedException) && !(cur instanceof IOException)
                && !(cur instanceof MalformedResponseException) && !(cur instanceof UnreadableAnswerException)
                && cur.getCause() != null && cur.getCause() != cur) {
            cur = cur.getCause();
        }
        return cur;
    }
}
