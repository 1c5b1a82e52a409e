package dev.clarisync.camel;

import dev.clarisync.routes.ExchangeProperties;
import dev.clarisync.sync.SyncOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * The {@code clari-sync-all} route's bean ({@code workspaceSyncs}): the names of the workspaces (accounts) this process
 * syncs, in configuration order, and the aggregation of the parallel split, which collects each workspace's
 * {@link SyncOutcome} into one map (workspace → outcome; a trigger skipped because that workspace was still syncing maps
 * to null; a failure before the sync began to {@link SyncOutcome#notStarted}). The route says the order and the
 * concurrency; the split's thread pool ({@code workspacesPool}) is sized by {@code clari.workspaces.parallelism}.
 */
public final class WorkspaceSyncs implements AggregationStrategy {

    private final Supplier<List<String>> names;

    public WorkspaceSyncs(Supplier<List<String>> names) {
        this.names = names;
    }

    /** The workspaces (accounts) to sync, in configuration order, those added after start included: the split's body. */
    public List<String> names() {
        return List.copyOf(names.get());
    }

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        String name = newExchange.getProperty(ExchangeProperties.WORKSPACE, String.class);
        SyncOutcome outcome = newExchange.getMessage().getBody(SyncOutcome.class);
        if (newExchange.getException() != null) {
            // clari-sync turns every failure after the start into its outcome; this one came before (the start could
            // not be recorded): it is this workspace's outcome, and the others go on
            outcome = SyncOutcome.notStarted(newExchange.getException());
            newExchange.setException(null);
        }
        if (oldExchange == null) {
            Map<String, SyncOutcome> outcomes = new LinkedHashMap<>();
            outcomes.put(name, outcome);
            newExchange.getMessage().setBody(outcomes);
            return newExchange;
        }
        oldExchange.getMessage().getBody(Map.class).put(name, outcome);
        return oldExchange;
    }
}
