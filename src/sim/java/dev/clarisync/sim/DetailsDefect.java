package dev.clarisync.sim;

/**
 * A {@code /call-details} answer that can never be read as it is, the same on every request: what speech-to-text,
 * calendar invites or an upstream failure can put in a real answer (see shared/clari-api.md, "Some answers cannot be
 * read as they are").
 */
public enum DetailsDefect {
    /** The call's JSON, with two bytes that are not UTF-8 in the summary (a broken multi-byte sequence). */
    INVALID_UTF8,
    /** HTTP 200 with a body whose shape matches nothing: {@code {"call":"unavailable"}}. */
    UNMAPPABLE,
    /** The call's JSON cut off half-way, every time (a gateway that truncates one large answer). */
    ALWAYS_TRUNCATED
}
