package dev.clarisync.report;

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

    /** Exchange property holding the warehouse of the run being synced (set when a run begins). */
    public static final String WAREHOUSE = "clariWarehouse";
    /** Exchange property holding the rows the ended run wrote (set when a run fails). */
    public static final String ROWS_WRITTEN = "clariRowsWritten";

    private final Path dashboard;

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
    public void refreshAfterFailure(@ExchangeProperty(WAREHOUSE) Warehouse warehouse, @ExchangeProperty(ROWS_WRITTEN) long rowsWritten) {
        if (rowsWritten > 0) {
            refresh(warehouse);
        }
    }

    public void refresh(@ExchangeProperty(WAREHOUSE) Warehouse warehouse) {
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
