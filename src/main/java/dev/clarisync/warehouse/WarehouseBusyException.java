package dev.clarisync.warehouse;

/**
 * Another run holds the warehouse's single-writer lock (the DuckDB file lock, or the PostgreSQL advisory lock
 * on the schema). Nothing was written; retry when that run has finished.
 */
public class WarehouseBusyException extends WarehouseException {

    public WarehouseBusyException(String detail) {
        super("warehouse is in use by another run (" + detail + ")");
    }
}
