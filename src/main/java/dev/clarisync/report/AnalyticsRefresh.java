package dev.clarisync.report;

import dev.clarisync.warehouse.Warehouse;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route step at the end of every sync ({@code clari-sync}): recreates the analytics views, so they
 * follow new columns, and, in {@code run} and {@code demo}, rewrites the dashboard ({@code report.out}).
 * Never fails the sync: the data is already committed, a view problem is logged as a warning.
 */
public final class AnalyticsRefresh {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsRefresh.class);

    private final Warehouse warehouse;
    private final Path dashboard;
    private final LongSupplier rowsWrittenThisRun;

    /**
     * @param dashboard          where to write the report after each sync; null for views only
     * @param rowsWrittenThisRun rows the current run wrote (a failed run that wrote nothing leaves the warehouse alone)
     */
    public AnalyticsRefresh(Warehouse warehouse, Path dashboard, LongSupplier rowsWrittenThisRun) {
        this.warehouse = warehouse;
        this.dashboard = dashboard;
        this.rowsWrittenThisRun = rowsWrittenThisRun;
        // PostgreSQL will not change a column's type while a view reads it: drop ours first, refresh() restores them
        warehouse.beforeTypeChange(() -> AnalyticsViews.dropStatements(warehouse));
    }

    /** After a failed sync: refresh only if the run wrote something (a 401 run must leave the warehouse untouched). */
    public void refreshAfterFailure() {
        if (rowsWrittenThisRun.getAsLong() > 0) {
            refresh();
        }
    }

    public void refresh() {
        try {
            List<String> views = AnalyticsViews.ensure(warehouse);
            if (dashboard != null) {
                Path written = ReportCommand.write(warehouse, dashboard);
                LOG.info("analytics: {} views refreshed, dashboard written to {}", views.size(), written);
            } else {
                LOG.info("analytics: {} views refreshed", views.size());
            }
        } catch (RuntimeException e) {
            LOG.warn("analytics views or dashboard not refreshed (the synced data is committed): {}", e.getMessage());
        }
    }
}
