package dev.clarisync.boot;

import dev.clarisync.config.ConnectorPlan;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.Workspaces;
import dev.clarisync.ops.HeapAdvice;
import dev.clarisync.privacy.PrivacySettings;
import dev.clarisync.warehouse.BusyWait;
import dev.clarisync.warehouse.Warehouse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouses of a {@link ConnectorPlan}'s workspaces, opened in configuration order (each in its own schema: one
 * DuckDB file, or one PostgreSQL database, holds them all), and the workspaces whose warehouse did not open (busy:
 * another process syncs it; unreachable), with why: those fail alone. The one place a connector opens a warehouse to
 * sync, and their one owner: {@link #close} closes each once, whichever asks first. That is the Camel context's stop
 * ({@code ConnectorConfiguration} registers it, on both start-ups, so a one-shot command stopped by SIGTERM releases its
 * files before the JVM exits), or {@code ConnectorApplication.close} when Camel never started.
 */
public final class OpenedWorkspaces implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenedWorkspaces.class);

    private final ConnectorPlan plan;
    private final Map<Workspaces.Workspace, Warehouse> opened;
    private final Map<String, RuntimeException> failed;
    /** Warehouses of accounts added after start ({@link #openAnother}), closed with the others. */
    private final List<Warehouse> added = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private OpenedWorkspaces(ConnectorPlan plan, Map<Workspaces.Workspace, Warehouse> opened, Map<String, RuntimeException> failed) {
        this.plan = plan;
        this.opened = opened;
        this.failed = failed;
    }

    /**
     * Opens each workspace's warehouse; if none opens, throws the first failure. With {@code waitForReaders} (the
     * {@code run} service of the single workspace) a DuckDB file open in a reader (sql, report, a notebook) is waited for
     * as a sync would ({@code clari.sync.lock-wait}), then fails as before; a server database is never waited for.
     *
     * @return the opened warehouses; null only when the wait for readers was interrupted (nothing was opened)
     */
    public static OpenedWorkspaces open(ConnectorPlan plan, boolean waitForReaders) {
        for (Workspaces.Workspace w : plan.workspaces()) {
            // the privacy and scope keys are checked with every other key, before anything is opened: the service
            // must not start and then fail each sync on a misspelt clari.privacy.hash (config/ cannot read privacy/)
            PrivacySettings.from(w.settings().raw());
        }
        Map<Workspaces.Workspace, Warehouse> opened = new LinkedHashMap<>();
        Map<String, RuntimeException> failed = new LinkedHashMap<>();
        for (Workspaces.Workspace w : plan.workspaces()) {
            try {
                Warehouse warehouse = waitForReaders && plan.implicit() ? waitingForReaders(w.settings()) : openWarehouse(w.settings());
                if (warehouse == null) {
                    return null;
                }
                opened.put(w, warehouse);
            } catch (RuntimeException e) {
                LOG.debug("workspace {}: warehouse not opened", w.name(), e);
                failed.put(w.name(), e);
            }
        }
        if (opened.isEmpty()) {
            throw failed.isEmpty() ? new IllegalStateException("no workspace in this shard") : failed.values().iterator().next();
        }
        OpenedWorkspaces all = new OpenedWorkspaces(plan, opened, failed);
        if (!plan.implicit()) {
            HeapAdvice.warnIfShort(all.parallelism(), opened.keySet().stream().mapToInt(w -> w.settings().detailsBatchSize())
                    .max().orElse(1), Runtime.getRuntime().maxMemory());
        }
        return all;
    }

    private static Warehouse openWarehouse(ConnectorSettings s) {
        return Warehouse.open(s.warehouseUrl(), s.warehouseUser(), s.warehousePassword().reveal(), s.warehouseSchema());
    }

    private static Warehouse waitingForReaders(ConnectorSettings s) {
        Supplier<Warehouse> attempt = () -> openWarehouse(s);
        return Warehouse.releasesFile(s.warehouseUrl())
                ? BusyWait.retry(attempt, s.lockWait(), () -> false, busy -> LOG.warn(
                        "waiting for readers to close the warehouse file ({}); retrying for up to {}", busy.getMessage(), s.lockWait()))
                : attempt.get();
    }

    /** Opens the warehouse of an account added after start; it is closed with the others. */
    public Warehouse openAnother(ConnectorSettings settings) {
        Warehouse warehouse = openWarehouse(settings);
        added.add(warehouse);
        return warehouse;
    }

    /** The workspaces that opened, in configuration order, with their warehouses. */
    public Map<Workspaces.Workspace, Warehouse> opened() {
        return opened;
    }

    /** Workspaces whose warehouse did not open at start, with why (they are not synced). */
    public Map<String, RuntimeException> failed() {
        return java.util.Collections.unmodifiableMap(failed);
    }

    /** The first workspace that opened: the process's first account, whose settings the process-wide parts follow. */
    public Workspaces.Workspace first() {
        return opened.keySet().iterator().next();
    }

    /** True for the single workspace of a configuration without {@code clari.workspaces}. */
    public boolean implicit() {
        return plan.implicit();
    }

    /** Workspaces synced at the same time: {@code clari.workspaces.parallelism}, at most those that opened. */
    public int parallelism() {
        return Math.max(1, Math.min(plan.parallelism(), opened.size()));
    }

    /** Closes every warehouse opened here, once. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        added.forEach(Warehouse::close);
        opened.values().forEach(Warehouse::close);
    }
}
