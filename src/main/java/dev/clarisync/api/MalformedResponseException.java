package dev.clarisync.api;

/** A 2xx answer whose body is not the JSON we expect (truncated, HTML from a gateway, wrong shape). Retried like a 5xx. */
public final class MalformedResponseException extends RuntimeException {
    public MalformedResponseException(String message, Throwable cause) {
        super(message, cause);
    }
}
