package dev.clarisync.ops;

import dev.clarisync.warehouse.Warehouse;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of the service ({@code /observe/health/ready}): down while the warehouse does not answer,
 * or while Clari rejects the credentials (the last sync ended with exit code 3); up again as soon as
 * the warehouse answers and a sync is accepted. Liveness is Camel's own (the context runs).
 *
 * <p>With many workspaces ({@link #ReadinessCheck(List)}) each workspace is reported as a detail
 * ({@code workspace.acme=succeeded}, {@code workspace.globex=failed: ...}, {@code workspace.initech=not synced: its warehouse did not open: ...}); the pod is down while any
 * workspace's warehouse does not answer (they share the database), or while every workspace's credentials
 * are rejected. One workspace with revoked credentials does not make the pod unready: the others still
 * sync, and a restart would not help it (its failure shows in its detail and in
 * {@code clari_sync_runs_total{outcome="failed",workspace=...}}).
 */
public final class ReadinessCheck extends AbstractHealthCheck {
    /** One workspace: its name, its warehouse and how its last sync ended. */
    public record Target(String name, Warehouse warehouse, Supplier<? extends SyncStatus> lastOutcome) {
    }

    private final Warehouse warehouse;
    private final Supplier<? extends SyncStatus> lastOutcome;
    private final List<Target> workspaces;
    /** Workspaces left out because their warehouse did not open (name → reason): reported, never a reason to be unready. */
    private final Map<String, String> leftOut;

    public ReadinessCheck(Warehouse warehouse, Supplier<? extends SyncStatus> lastOutcome) {
        super("clari", "connector");
        this.warehouse = warehouse;
        this.lastOutcome = lastOutcome;
        this.workspaces = null;
        this.leftOut = Map.of();
    }

    /**
     * @param workspaces every workspace of the process (a live list: workspaces added later are reported too)
     * @param leftOut    workspaces whose warehouse did not open, with the reason (another process holds the schema:
     *                   that one syncs it; the others here are not affected)
     */
    public ReadinessCheck(List<Target> workspaces, Map<String, String> leftOut) {
        super("clari", "connector");
        this.warehouse = null;
        this.lastOutcome = null;
        this.workspaces = workspaces;
        this.leftOut = leftOut;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (workspaces != null) {
            callEach(builder);
            return;
        }
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
        builder.detail("last_sync", describe(last)).up();
    }

    private void callEach(HealthCheckResultBuilder builder) {
        int rejected = 0;
        for (Target w : workspaces) {
            try {
                w.warehouse().ping();
            } catch (RuntimeException e) {
                builder.message("workspace " + w.name() + ": warehouse not answering: " + e.getMessage()).down();
                return;
            }
            SyncStatus last = w.lastOutcome().get();
            if (last != null && last.credentialsRejected()) {
                rejected++;
            }
            builder.detail("workspace." + w.name(), describe(last));
        }
        leftOut.forEach((name, reason) -> builder.detail("workspace." + name, "not synced: its warehouse did not open: " + reason));
        if (rejected > 0 && rejected == workspaces.size()) {
            builder.message("Clari rejected the credentials of every workspace").down();
            return;
        }
        builder.up();
    }

    private static String describe(SyncStatus last) {
        if (last == null) {
            return "none yet";
        }
        if (!last.ok()) {
            return "failed: " + last.message();
        }
        // a stream the account cannot read does not make the pod unready: it is named, and the rest synced
        StringBuilder s = new StringBuilder("succeeded");
        last.unavailable().forEach((stream, answer) -> s.append("; ").append(stream).append(" unavailable (").append(answer).append(')'));
        // nor do records set aside: they cost only themselves, and the count says where to look
        if (last.setAside() > 0) {
            s.append("; ").append(Plural.of(last.setAside(), "record")).append(" set aside (see _rejected_records)");
        }
        return s.toString();
    }
}
