package dev.clarisync.warehouse;

/** The warehouse cannot be reached or opened; the message is a one-line reason without secrets. */
public class WarehouseUnavailableException extends WarehouseException {

    public WarehouseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
