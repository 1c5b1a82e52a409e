package dev.clarisync.sync;

import dev.clarisync.routes.ExchangeProperties;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Aggregation strategy of the parallel details split: each part that fetched (or found gone, or set aside) its call
 * hands its {@link DetailsResult} back to the batch it belongs to ({@link DetailsBatch}, through the part on the
 * exchange), which is written once all its parts have ended; parts skipped by the idempotent consumer bring nothing
 * but end too. Every part gives its in-flight permit back here. Stateless.
 */
public final class BatchResults implements AggregationStrategy {
    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        DetailsPart part = newExchange == null ? null : newExchange.getProperty(ExchangeProperties.PART, DetailsPart.class);
        // a failed part never gets here (the split stops on it): its batch stays incomplete and salvage settles it
        if (part != null && newExchange.getException() == null) {
            Object body = newExchange.getMessage().getBody();
            part.owner().partDone(part, body instanceof DetailsResult result ? result : null);
        }
        return oldExchange == null ? newExchange : oldExchange;
    }
}
