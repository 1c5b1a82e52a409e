package dev.clarisync.warehouse;

/**
 * The warehouse's file is released between syncs ({@link Warehouse#releaseBetweenWrites}) and was used without a
 * {@link Warehouse#hold}: a caller outside a sync (a metrics scrape) asked what only an open session can answer.
 */
public class WarehouseReleasedException extends WarehouseException {

    public WarehouseReleasedException(String message) {
        super(message);
    }
}
