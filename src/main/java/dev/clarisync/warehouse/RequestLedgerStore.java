package dev.clarisync.warehouse;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The SQL of {@code _request_ledger}: requests sent per week. Every statement is built here, with the dialect's types. */
public final class RequestLedgerStore {
    public static final String TABLE = "_request_ledger";

    private final Warehouse warehouse;

    /** Creates the table if missing. */
    public RequestLedgerStore(Warehouse warehouse) {
        this.warehouse = warehouse;
        BookkeepingTables.create(warehouse, BookkeepingTables.REQUEST_LEDGER);
    }

    private String table() {
        return warehouse.table(TABLE);
    }

    /** Requests recorded for the week starting at {@code week}; 0 when none. */
    public long requests(Instant week) {
        long used = 0;
        for (Map<String, Object> row : warehouse.query(warehouse.dialect().select(table(), List.of("requests"), "week_start"), week)) {
            used = ((Number) row.get("requests")).longValue();
        }
        return used;
    }

    /**
     * Adds {@code n} requests to the week's row, inside the caller's transaction. An UPDATE of the week's row, an
     * INSERT only for a new week: DuckDB runs a one-row ON CONFLICT upsert several times slower, and this runs in
     * every page and batch transaction.
     */
    public void add(WarehouseTx tx, Instant week, long n) {
        WarehouseTransaction t = (WarehouseTransaction) tx;
        Dialect d = warehouse.dialect();
        try {
            PreparedStatement update = t.prepared(d.updateAdding(table(), List.of(), "requests", "week_start"));
            update.setLong(1, n);
            d.bind(update, 2, week);
            if (update.executeUpdate() == 0) {
                PreparedStatement insert = t.prepared(d.insert(table(), "week_start", "requests"));
                d.bind(insert, 1, week);
                insert.setLong(2, n);
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new WarehouseException("cannot update the request ledger: " + Secrets.oneLine(e.getMessage(), null), e);
        }
    }
}
