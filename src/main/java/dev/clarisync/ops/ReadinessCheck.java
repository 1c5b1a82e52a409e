package dev.clarisync.ops;

import dev.clarisync.warehouse.Warehouse;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of the service ({@code /observe/health/ready}): down while the warehouse does not answer,
 * or while Clari rejects the credentials (the last sync ended with exit code 3); up again as soon as
 * the warehouse answers and a sync is accepted. Liveness is Camel's own (the context runs).
 */
public final class ReadinessCheck extends AbstractHealthCheck {
    private final Warehouse warehouse;
    private final Supplier<? extends SyncStatus> lastOutcome;

    public ReadinessCheck(Warehouse warehouse, Supplier<? extends SyncStatus> lastOutcome) {
        super("clari", "connector");
        this.warehouse = warehouse;
        this.lastOutcome = lastOutcome;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            warehouse.ping();
        } catch (RuntimeException e) {
            builder.message("warehouse not answering: " + e.getMessage()).down();
            return;
        }
        SyncStatus last = lastOutcome.get();
        if (last != null && last.credentialsRejected()) {
            builder.message(last.message()).down();
            return;
        }
        builder.detail("last_sync", last == null ? "none yet" : last.ok() ? "succeeded" : "failed: " + last.message()).up();
    }
}
