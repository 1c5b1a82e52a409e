package dev.clarisync.privacy;

/**
 * One person as a record names them: any of name, email and phone may be null; {@code personId} (the transcript's
 * speaker key within one call) too.
 */
public record Person(String name, String email, String phone, String personId) {
}
