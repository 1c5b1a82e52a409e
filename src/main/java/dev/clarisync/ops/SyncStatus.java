package dev.clarisync.ops;

/** What the service's readiness needs to know about the last sync (implemented by the sync's outcome). */
public interface SyncStatus {
    /** The sync ended well. */
    boolean ok();

    /** Clari rejected the credentials (the service is not ready until they are fixed). */
    boolean credentialsRejected();

    /** One line for people. */
    String message();

    /** Streams the sync skipped because the account cannot read them → Clari's answer ({@code HTTP 403: Forbidden}). */
    default java.util.Map<String, String> unavailable() {
        return java.util.Map.of();
    }

    /** Records the sync set aside in {@code _rejected_records} (answers or values that cannot be read or stored). */
    default long setAside() {
        return 0;
    }
}
