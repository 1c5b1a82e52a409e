package dev.clarisync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.sync.OutcomeKind;
import dev.clarisync.sync.SyncOutcome;
import dev.clarisync.warehouse.Warehouse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream the account cannot read, where an operator looks: the readiness detail and {@code clari_stream_available}. */
class StreamAvailabilityReportingTest {
    @TempDir
    Path dir;

    @Test
    void should_stay_ready_and_name_the_unreadable_stream_in_the_readiness_detail() throws Exception {
        SyncOutcome last = new SyncOutcome("run-1", OutcomeKind.OK, "ok; scorecards unavailable (HTTP 403: Forbidden)", Map.of(), 5, 0,
                3, 3, 0, Duration.ofSeconds(2), Map.of(), Map.of("scorecards", "HTTP 403: Forbidden"));
        assertThat(readiness(last)).containsEntry("last_sync", "succeeded; scorecards unavailable (HTTP 403: Forbidden)");
    }

    /** The readiness check's details after {@code last}, which must leave the service ready. */
    private Map<String, Object> readiness(SyncOutcome last) throws Exception {
        try (Warehouse w = Warehouse.open("jdbc:duckdb:" + dir.resolve("r.duckdb"), null, null, null);
             DefaultCamelContext camel = new DefaultCamelContext()) {
            ReadinessCheck check = new ReadinessCheck(w, () -> last);
            check.setCamelContext(camel);
            HealthCheck.Result r = check.call();
            assertThat(r.getState()).isEqualTo(HealthCheck.State.UP);
            return r.getDetails();
        }
    }

    @Test
    void should_stay_ready_and_count_records_set_aside_in_the_readiness_detail() throws Exception {
        SyncOutcome last = new SyncOutcome("run-2", OutcomeKind.OK, "ok", Map.of(), 5, 0, 3, 3, 4, Duration.ofSeconds(2), Map.of(), Map.of());
        assertThat(readiness(last)).containsEntry("last_sync", "succeeded; 4 records set aside (see _rejected_records)");
    }

    @Test
    void should_publish_each_streams_availability_as_a_gauge() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ConnectorMetrics metrics = new ConnectorMetrics(registry, () -> 0, () -> 0, () -> 0);
        metrics.streamAvailable("scorecards", false);
        metrics.streamAvailable("users", true);
        assertThat(registry.get("clari.stream.available").tag("stream", "scorecards").gauge().value()).isZero();
        assertThat(registry.get("clari.stream.available").tag("stream", "users").gauge().value()).isEqualTo(1.0);
        metrics.streamAvailable("scorecards", true); // the account bought the feature: the next run reads it
        assertThat(registry.get("clari.stream.available").tag("stream", "scorecards").gauge().value()).isEqualTo(1.0);
    }
}
