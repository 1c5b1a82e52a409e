package dev.clarisync.warehouse;

/** A warehouse operation failed; the message is one line and never contains a password. */
public class WarehouseException extends RuntimeException {

    public WarehouseException(String message) {
        super(message);
    }

    public WarehouseException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * What a failed transaction throws: unchecked exceptions as they are, checked ones wrapped (a SQL failure as
     * "warehouse write failed: ..."), errors rethrown; named by its cause when that is a full disk.
     */
    static RuntimeException ofFailedTransaction(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        RuntimeException failure = t instanceof RuntimeException r ? r : new WarehouseException(
                t instanceof java.sql.SQLException ? "warehouse write failed: " + Secrets.oneLine(t.getMessage(), null) : t.toString(), t);
        WarehouseDiskFullException full = WarehouseDiskFullException.in(failure);
        return full == null ? failure : full;
    }
}
