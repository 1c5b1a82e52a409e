package dev.clarisync.report;

import dev.clarisync.routes.ExchangeProperties;
import dev.clarisync.warehouse.Warehouse;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route step at the end of every sync ({@code clari-sync}): recreates the analytics views, so they
 * follow new columns, and, in {@code run} and {@code demo}, rewrites the dashboard ({@code report.out}).
 * Never fails the sync: the data is already committed, a view problem is logged as a warning.
 */
public final class AnalyticsRefresh {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsRefresh.class);

    private final Path dashboard;

    /**
     * The dashboard of one workspace: {@code report.out} with {@code -<workspace>} before its extension
     * ({@code clari-report.html} → {@code clari-report-acme.html}); {@code report.out} itself for the single workspace.
     */
    public static Path dashboardOf(Path out, String workspace) {
        if (workspace == null || workspace.isEmpty() || "default".equals(workspace)) {
            return out;
        }
        String file = out.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String named = dot > 0 ? file.substring(0, dot) + "-" + workspace + file.substring(dot) : file + "-" + workspace;
        return out.resolveSibling(named);
    }

    /** @param dashboard where to write the report after each sync; null for views only */
    public AnalyticsRefresh(Path dashboard) {
        this.dashboard = dashboard;
    }

    /** Called once per warehouse the connector writes to. */
    public static void attach(Warehouse warehouse) {
        // PostgreSQL will not change a column's type while a view reads it: drop ours first, refresh() restores them
        warehouse.dropViewsBeforeTypeChange(AnalyticsViews::dropOrder);
    }

    /**
     * After a failed sync: refresh only if the run wrote something (a 401 run must leave the warehouse untouched).
     *
     * @param rowsWritten rows the failed run wrote
     */
    public void refreshAfterFailure(@ExchangeProperty(ExchangeProperties.WAREHOUSE) Warehouse warehouse, @ExchangeProperty(ExchangeProperties.ROWS_WRITTEN) long rowsWritten,
                                    @ExchangeProperty(ExchangeProperties.WORKSPACE) String workspace) {
        if (rowsWritten > 0) {
            refresh(warehouse, workspace);
        }
    }

    /** The single workspace's refresh (package-private, so the route's bean call is not ambiguous). */
    void refresh(Warehouse warehouse) {
        refresh(warehouse, null);
    }

    /** @param workspace the synced workspace (exchange property clariWorkspace); null or {@code default} for the single one */
    public void refresh(@ExchangeProperty(ExchangeProperties.WAREHOUSE) Warehouse warehouse, @ExchangeProperty(ExchangeProperties.WORKSPACE) String workspace) {
        try {
            List<String> views = AnalyticsViews.ensure(warehouse);
            if (dashboard != null) {
                Path written = ReportCommand.write(warehouse, dashboardOf(dashboard, workspace));
                LOG.info("analytics: {} views refreshed, dashboard written to {}", views.size(), written);
            } else {
                LOG.info("analytics: {} views refreshed", views.size());
            }
        } catch (RuntimeException e) {
            LOG.warn("analytics views or dashboard not refreshed (the synced data is committed): {}", e.getMessage());
        }
    }
}
