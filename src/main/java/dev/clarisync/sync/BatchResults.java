package dev.clarisync.sync;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Aggregation strategy of the parallel details split: each part that fetched (or found gone) its call
 * hands its {@link DetailsResult} back to the batch it belongs to ({@link DetailsBatch}, on the
 * exchange). Parts skipped by the idempotent consumer bring nothing. Stateless.
 */
public final class BatchResults implements AggregationStrategy {
    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        if (newExchange != null && newExchange.getException() == null
                && newExchange.getMessage().getBody() instanceof DetailsResult result) {
            newExchange.getProperty(DetailsBatch.PROPERTY, DetailsBatch.class).answered(result);
        }
        return oldExchange == null ? newExchange : oldExchange;
    }
}
