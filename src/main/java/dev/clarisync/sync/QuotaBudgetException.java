package dev.clarisync.sync;

/** The run stopped itself before spending the weekly request budget's reserve. Progress is saved. */
public final class QuotaBudgetException extends RuntimeException {
    public QuotaBudgetException(String message) {
        super(message);
    }
}
