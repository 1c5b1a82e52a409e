package dev.clarisync.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.routes.ExchangeProperties;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The /calls page size falling 100 → 50 → 25 while large pages fail, and rising again after successes. */
class PageSizePolicyTest {
    private final CamelContext camel = new DefaultCamelContext();
    private final PageSizePolicy policy = new PageSizePolicy(100, 2, 3);
    private final PageRequest page = new PageRequest(
            new ModifiedWindow(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-02-01T00:00:00Z")), 200, 100);

    private Exchange pageExchange() {
        Exchange e = new DefaultExchange(camel);
        ApiCall.request(e, "/calls", page.query());
        e.setProperty(ExchangeProperties.PAGE, page);
        return e;
    }

    private static HttpOperationFailedException http(int status) {
        return new HttpOperationFailedException("http://x/calls", status, "", null, Map.of(), "");
    }

    @Test
    void should_halve_the_page_after_failures_in_a_row_and_keep_the_offset() {
        Exchange e = pageExchange();
        policy.failed(e, http(502));
        policy.apply(e);
        assertThat(e.getProperty(ExchangeProperties.PAGE, PageRequest.class).limit()).isEqualTo(100);
        policy.failed(e, http(504));
        policy.apply(e);
        PageRequest resized = e.getProperty(ExchangeProperties.PAGE, PageRequest.class);
        assertThat(resized.limit()).isEqualTo(50);
        assertThat(resized.skip()).isEqualTo(200);
        assertThat(e.getProperty(ExchangeProperties.QUERY, String.class)).contains("&skip=200&limit=50&");
        policy.failed(e, new SocketTimeoutException("Read timed out"));
        policy.failed(e, new IOException("Connection reset"));
        assertThat(policy.current()).isEqualTo(25);
        policy.failed(e, http(502));
        policy.failed(e, http(502));
        assertThat(policy.current()).as("25 is the smallest").isEqualTo(25);
    }

    @Test
    void should_not_count_other_failures_or_other_requests() {
        Exchange details = new DefaultExchange(camel); // no page: a /call-details or /users request
        policy.failed(details, http(502));
        policy.failed(details, http(502));
        Exchange e = pageExchange();
        policy.failed(e, http(500));
        policy.failed(e, http(503));
        policy.failed(e, http(429));
        assertThat(policy.current()).isEqualTo(100);
    }

    @Test
    void should_leave_a_details_request_alone_even_when_it_inherited_the_last_page() {
        Exchange e = pageExchange();
        for (int i = 0; i < 4; i++) {
            policy.failed(e, http(502));
        }
        assertThat(policy.current()).isEqualTo(25);
        // the details split copies the calls exchange's properties; its own request must stay as it is
        Exchange details = e.copy();
        ApiCall.request(details, "/call-details", "id=abc");
        policy.apply(details);
        policy.failed(details, http(502));
        assertThat(details.getProperty(ExchangeProperties.QUERY, String.class)).isEqualTo("id=abc");
        assertThat(details.getProperty(ExchangeProperties.PAGE)).isNull();
        // and a stale page property on a non-/calls request is ignored too
        details.setProperty(ExchangeProperties.PAGE, page);
        policy.apply(details);
        for (int i = 0; i < 20; i++) {
            policy.succeeded(details);
        }
        assertThat(details.getProperty(ExchangeProperties.QUERY, String.class)).isEqualTo("id=abc");
        assertThat(policy.current()).isEqualTo(25);
    }

    @Test
    void should_step_back_up_after_a_run_of_successes() {
        Exchange e = pageExchange();
        for (int i = 0; i < 4; i++) {
            policy.failed(e, http(502));
        }
        assertThat(policy.current()).isEqualTo(25);
        policy.succeeded(e);
        policy.succeeded(e);
        policy.failed(e, http(502)); // a failure breaks the run
        policy.succeeded(e);
        policy.succeeded(e);
        assertThat(policy.current()).isEqualTo(25);
        policy.succeeded(e);
        assertThat(policy.current()).isEqualTo(50);
        for (int i = 0; i < 3; i++) {
            policy.succeeded(e);
        }
        assertThat(policy.current()).isEqualTo(100);
        policy.apply(e);
        assertThat(e.getProperty(ExchangeProperties.PAGE, PageRequest.class).limit()).isEqualTo(100);
    }
}
