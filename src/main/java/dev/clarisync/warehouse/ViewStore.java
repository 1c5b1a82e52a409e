package dev.clarisync.warehouse;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The views of a warehouse: the analytics layer ({@code report/}) replaces its set in one transaction, and registers
 * the views to drop before a column changes type. The view bodies are the caller's read-only SELECTs; the DDL is the
 * dialect's.
 */
final class ViewStore {

    private final Warehouse w;
    private volatile Supplier<List<String>> beforeTypeChange = List::of;

    ViewStore(Warehouse w) {
        this.w = w;
    }

    /** See {@link Warehouse#dropViewsBeforeTypeChange}. */
    void dropBeforeTypeChange(Supplier<List<String>> viewNames) {
        this.beforeTypeChange = viewNames;
    }

    /** Drops the registered views, inside the writing transaction, right before a column changes type. */
    void runBeforeTypeChange() throws SQLException {
        for (String view : beforeTypeChange.get()) {
            w.execute(w.dialect().dropView(w.table(view)));
        }
    }

    /** See {@link Warehouse#replaceViews}. */
    void replace(List<String> drop, Map<String, String> views) {
        Dialect d = w.dialect();
        w.inTransaction(tx -> {
            for (String view : drop) {
                w.execute(d.dropView(w.table(view)));
            }
            for (Map.Entry<String, String> e : views.entrySet()) {
                w.execute(d.createView(w.table(e.getKey()), e.getValue()));
            }
            return null;
        });
    }
}
