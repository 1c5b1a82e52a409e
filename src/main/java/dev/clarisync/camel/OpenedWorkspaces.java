package dev.clarisync.camel;

import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.Workspaces;
import dev.clarisync.warehouse.Warehouse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouses of the workspaces one process syncs, opened in configuration order, and the workspaces whose
 * warehouse did not open (busy: another process syncs it; unreachable), with why: those fail alone. Shared by the
 * Launcher's path ({@link ConnectorApplication}) and Camel K's ({@link ConnectorConfiguration}).
 */
record OpenedWorkspaces(Map<Workspaces.Workspace, Warehouse> opened, Map<String, RuntimeException> failed) {
    private static final Logger LOG = LoggerFactory.getLogger(OpenedWorkspaces.class);

    /** Opens each workspace's warehouse; if none opens, throws the first failure. */
    static OpenedWorkspaces open(List<Workspaces.Workspace> workspaces) {
        Map<Workspaces.Workspace, Warehouse> opened = new LinkedHashMap<>();
        Map<String, RuntimeException> failed = new LinkedHashMap<>();
        for (Workspaces.Workspace w : workspaces) {
            ConnectorSettings s = w.settings();
            try {
                opened.put(w, Warehouse.open(s.warehouseUrl(), s.warehouseUser(), s.warehousePassword().reveal(), s.warehouseSchema()));
            } catch (RuntimeException e) {
                LOG.debug("workspace {}: warehouse not opened", w.name(), e);
                failed.put(w.name(), e);
            }
        }
        if (opened.isEmpty()) {
            throw failed.isEmpty() ? new IllegalStateException("no workspace in this shard") : failed.values().iterator().next();
        }
        return new OpenedWorkspaces(opened, failed);
    }

    /** The first workspace that opened: the process's first account. */
    Workspaces.Workspace first() {
        return opened.keySet().iterator().next();
    }

    /** The workspaces that opened, after the first, with their warehouses. */
    Map<Workspaces.Workspace, Warehouse> others() {
        Map<Workspaces.Workspace, Warehouse> others = new LinkedHashMap<>(opened);
        others.remove(first());
        return others;
    }
}
