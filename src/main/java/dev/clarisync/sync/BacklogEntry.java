package dev.clarisync.sync;

/**
 * A call owed a {@code /call-details} fetch, as persisted in {@code _details_backlog}.
 *
 * @param version the call's version when it was queued ({@code last_modified_time} and list content hash)
 * @param forced  true for reconciliation and full reloads: fetched even if this version was fetched before
 */
public record BacklogEntry(String callId, String version, String title, boolean forced) {
}
