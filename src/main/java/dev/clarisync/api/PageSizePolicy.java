package dev.clarisync.api;

import dev.clarisync.routes.ExchangeProperties;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /calls} page size, backing off when large pages keep failing. A production connector had
 * to drop from 100 to 25 after persistent 502s on large pages; big pages are cheaper in requests, so
 * the size goes back up after a run of successes.
 *
 * <ul>
 *   <li>Sizes: the configured maximum, then half, then a quarter (100 → 50 → 25).</li>
 *   <li>After {@code backoffAfter} failed attempts in a row at one size (502, 504, timeouts, resets:
 *       what a gateway does to a slow upstream), the next attempt of the same page asks for the next
 *       smaller size, at the same offset.</li>
 *   <li>After {@code recoverAfter} pages in a row answered at a reduced size, the size steps one level
 *       back up.</li>
 * </ul>
 * Offsets are counts of calls, so they mean the same at every size; {@link CallsWindowScan} takes the
 * size actually asked for with each page. One instance per account. Thread-safe.
 */
public final class PageSizePolicy {
    private static final Logger LOG = LoggerFactory.getLogger(PageSizePolicy.class);
    private static final java.util.regex.Pattern LIMIT = java.util.regex.Pattern.compile("(^|&)limit=\\d+");

    private final int[] sizes;
    private final int backoffAfter;
    private final int recoverAfter;
    private int level;
    private int failures;
    private int successes;

    public PageSizePolicy(int maxSize, int backoffAfter, int recoverAfter) {
        if (maxSize < 1 || backoffAfter < 1 || recoverAfter < 1) {
            throw new IllegalArgumentException("bad page size policy settings");
        }
        this.sizes = new int[] {maxSize, Math.max(1, maxSize / 2), Math.max(1, maxSize / 4)};
        this.backoffAfter = backoffAfter;
        this.recoverAfter = recoverAfter;
    }

    /**
     * The policy of one account's settings: {@code clari.api.page-size} as the largest size,
     * {@code clari.api.page-size-backoff-after}, {@code clari.api.page-size-recover-after}.
     */
    public static PageSizePolicy from(dev.clarisync.config.ConnectorSettings settings) {
        return new PageSizePolicy(settings.pageSize(), settings.pageSizeBackoffAfter(), settings.pageSizeRecoverAfter());
    }

    /** The size to ask for now. */
    public synchronized int current() {
        return sizes[level];
    }

    /** Route step before every attempt: a paged request asks for the current size at its offset. */
    public void apply(Exchange exchange) {
        PageRequest page = paged(exchange);
        if (page == null) {
            return;
        }
        int size = current();
        if (page.limit() != size) {
            // only the limit changes: the offset and every other parameter the stream asked for stay as they are
            exchange.setProperty(ExchangeProperties.PAGE, page.withLimit(size));
            String query = exchange.getProperty(ExchangeProperties.QUERY, String.class);
            exchange.setProperty(ExchangeProperties.QUERY, LIMIT.matcher(query).replaceFirst("$1limit=" + size));
        }
    }

    /** Route step after every answer: counts a page that came back. */
    public void succeeded(Exchange exchange) {
        if (paged(exchange) != null) {
            pageSucceeded();
        }
    }

    /** Told about every failed attempt (by {@link RetryPolicy}); only paged requests and large-page failures count. */
    public void failed(Exchange exchange, Throwable failure) {
        if (paged(exchange) != null && isLargePageFailure(failure)) {
            pageFailed();
        }
    }

    /**
     * The page of an offset-paged list request (its stream set {@link ExchangeProperties#PAGE} and the query asks for a limit), or null
     * for any other request, including one that merely inherited a page property (a split copies properties).
     */
    private static PageRequest paged(Exchange exchange) {
        PageRequest page = exchange.getProperty(ExchangeProperties.PAGE, PageRequest.class);
        String query = exchange.getProperty(ExchangeProperties.QUERY, String.class);
        return page != null && query != null && LIMIT.matcher(query).find() ? page : null;
    }

    synchronized void pageSucceeded() {
        failures = 0;
        if (level > 0 && ++successes >= recoverAfter) {
            level--;
            successes = 0;
            LOG.info("calls: {} pages in a row came back: page size up to {}", recoverAfter, sizes[level]);
        }
    }

    synchronized void pageFailed() {
        successes = 0;
        if (++failures >= backoffAfter && level < sizes.length - 1) {
            level++;
            failures = 0;
            LOG.warn("calls: {} failed attempts in a row at page size {}: page size down to {}", backoffAfter,
                    sizes[level - 1], sizes[level]);
        }
    }

    /** 502 and 504 (a gateway timing out on a slow upstream), timeouts and resets. */
    static boolean isLargePageFailure(Throwable failure) {
        Throwable t = RetryPolicy.rootOf(failure);
        if (t instanceof HttpOperationFailedException http) {
            return http.getStatusCode() == 502 || http.getStatusCode() == 504;
        }
        return t instanceof IOException;
    }
}
