package dev.clarisync.camel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.routes.ExchangeProperties;
import dev.clarisync.sync.OutcomeKind;
import dev.clarisync.sync.SyncOutcome;
import dev.clarisync.warehouse.WarehouseException;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The aggregation of clari-sync-all: each workspace's outcome, also when its sync failed before it began. */
class WorkspaceSyncsTest {
    private final DefaultCamelContext camel = new DefaultCamelContext();

    private Exchange part(String workspace, Object body, Exception failure) {
        Exchange e = new DefaultExchange(camel);
        e.setProperty(ExchangeProperties.WORKSPACE, workspace);
        e.getMessage().setBody(body);
        e.setException(failure);
        return e;
    }

    @Test
    @SuppressWarnings("unchecked")
    void should_make_a_failure_before_the_start_that_workspaces_outcome_in_one_line_and_keep_the_others() {
        WorkspaceSyncs syncs = new WorkspaceSyncs(java.util.List::of);
        SyncOutcome ok = new SyncOutcome("run-1", OutcomeKind.OK, "ok", Map.of(), 3, 0, 1, 1, Duration.ofSeconds(1));
        Exchange all = syncs.aggregate(null, part("acme", ok, null));
        all = syncs.aggregate(all, part("globex", null, new WarehouseException("warehouse write failed: Out of Memory Error: "
                + "could not allocate block\n\nPossible solutions:\n* Increasing the memory limit", null)));

        assertThat(all.getException()).isNull();
        Map<String, SyncOutcome> outcomes = all.getMessage().getBody(Map.class);
        assertThat(outcomes.get("acme")).isSameAs(ok);
        SyncOutcome failed = outcomes.get("globex");
        assertThat(failed.started()).isFalse();
        assertThat(failed.kind()).isEqualTo(OutcomeKind.FAILED);
        assertThat(failed.message()).isEqualTo("WarehouseException: warehouse write failed: Out of Memory Error: could not allocate block");
    }
}
