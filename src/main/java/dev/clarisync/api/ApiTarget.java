package dev.clarisync.api;

import dev.clarisync.routes.ExchangeProperties;

/**
 * Which Clari account a request goes to: its API root, the registry name of its HTTP client (which
 * holds its credentials, at the client level), and its own limits (Clari's rate limit is per workspace). The sync's run context implements it and travels on the
 * exchange as {@value ExchangeProperties#RUN}; the {@code clari-api} route sends to the target's base URL with
 * the target's client.
 */
public interface ApiTarget {
    /** API root, e.g. {@code https://rest-api.copilot.clari.com}. */
    String baseUrl();

    /** Registry name of the {@link ClariHttpClient} configured with this account's credentials. */
    String httpClient();

    /** The account's rate limiter: every request of the account, from any stream, thread or retry, waits for it. */
    ClariRateLimiter limiter();

    /** The account's {@code /calls} page size, which backs off while large pages fail. */
    PageSizePolicy pageSizes();

    /** A request of this target left the limiter and goes on the wire now (first attempts and retries). */
    default void sending(org.apache.camel.Exchange exchange) {
    }

    /** The largest per-parent answer read, in bytes ({@code clari.details.max-answer-bytes}); a larger one is set aside. */
    long maxAnswerBytes();

    /** Clari answered a request with a 2xx: the credentials work (what a 403 elsewhere means depends on it). */
    default void credentialsAccepted() {
    }
}
