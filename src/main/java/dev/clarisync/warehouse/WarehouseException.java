package dev.clarisync.warehouse;

/** A warehouse operation failed; the message is one line and never contains a password. */
public class WarehouseException extends RuntimeException {

    public WarehouseException(String message) {
        super(message);
    }

    public WarehouseException(String message, Throwable cause) {
        super(message, cause);
    }
}
