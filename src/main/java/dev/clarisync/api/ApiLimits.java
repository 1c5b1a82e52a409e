package dev.clarisync.api;

import dev.clarisync.routes.ExchangeProperties;
import org.apache.camel.Exchange;

/**
 * Route steps of {@code clari-api} around the HTTP call, for the account the exchange is for ({@link ApiTarget} on
 * {@value ExchangeProperties#RUN}): wait for the account's rate limiter and ask for its current page size before, tell both
 * after. Stateless: each account's limiter and page-size policy live with the account, so accounts synced side by side
 * each get their own limit.
 */
public final class ApiLimits {
    /** Before every attempt (first tries and retries): waits for this request's slot, sets the page size to ask for. */
    public void before(Exchange exchange) throws InterruptedException {
        ApiTarget target = ApiCall.target(exchange);
        target.limiter().acquire(exchange);
        target.sending(exchange);
        target.pageSizes().apply(exchange);
    }

    /**
     * After every answer: a success for the limiter's recovery and the page-size policy's count; a 2xx also tells the
     * target that Clari accepted its credentials.
     */
    public void after(Exchange exchange) {
        ApiTarget target = ApiCall.target(exchange);
        target.limiter().succeeded(exchange);
        target.pageSizes().succeeded(exchange);
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null && status >= 200 && status < 300) {
            target.credentialsAccepted();
        }
    }
}
