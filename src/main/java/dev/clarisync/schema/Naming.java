package dev.clarisync.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The identifier rule: how JSON field names become SQL table and column names. It is deterministic
 * (same input, same name, on every run and every database) so warehouse queries stay valid.
 *
 * <ol>
 *   <li>Each JSON key (one <em>part</em>) is converted on its own: an ASCII upper-case letter that follows a
 *       lower-case letter or digit, or that starts a new word after an upper-case run
 *       ({@code HTTPServer} → {@code http_server}), gets a {@code _} in front; then ASCII letters are
 *       lower-cased; every character outside {@code [a-z0-9_]} (including non-ASCII letters, spaces, quotes,
 *       emoji) becomes {@code _}; runs of {@code _} collapse to one; an empty result becomes {@code _}.
 *       So {@code externalParticipants} → {@code external_participants}, {@code userId} → {@code user_id},
 *       {@code talk_listen_ratio} is unchanged.</li>
 *   <li>Parts of a nested path are joined with the nesting separator {@code __}
 *       ({@code metrics.talk_listen_ratio} → {@code metrics__talk_listen_ratio}); the separator is not
 *       collapsed. Child tables are {@code <parent table>__<field path>}.</li>
 *   <li>A name that starts with a digit gets a {@code _} prefix.</li>
 *   <li>A name longer than {@value #MAX_IDENTIFIER_LENGTH} characters (PostgreSQL's limit, which silently
 *       truncates) becomes its first {@value #TRUNCATED_LENGTH} characters + {@code _} + {@link #hash8 8 hex
 *       characters} of the SHA-256 of the full source path.</li>
 *   <li>When a different source path already owns the name in the same table (e.g. {@code fooBar} and
 *       {@code foo_bar}, {@code Id} and {@code id}, or a field named like a system column such as
 *       {@code _idx}), the first one seen keeps it and the later one gets {@code _} + 8 hex characters of
 *       the hash of its source path (the base is cut to {@value #TRUNCATED_LENGTH} characters if needed).
 *       The mapping is persisted by the warehouse, so it stays stable across runs. Table names follow the
 *       same rule across the whole schema.</li>
 * </ol>
 * Names produced by this rule are lower-case {@code [a-z0-9_]}, at most 63 characters; SQL always quotes
 * them anyway so reserved words ({@code order}, {@code select}) work.
 */
public final class Naming {

    /** PostgreSQL's identifier limit (NAMEDATALEN - 1); DuckDB has none but we keep one rule for both. */
    public static final int MAX_IDENTIFIER_LENGTH = 63;
    /** Length kept from a too-long name: 54 + "_" + 8 hex = 63. */
    public static final int TRUNCATED_LENGTH = 54;
    /** Separator between the parts of a nested path. */
    public static final String NESTING = "__";

    private Naming() {
    }

    /** Converts one JSON key to a name part (rule 1). */
    public static String part(String key) {
        StringBuilder out = new StringBuilder(key.length() + 4);
        int n = key.length();
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (i > 0) {
                    char prev = key.charAt(i - 1);
                    boolean afterLowerOrDigit = (prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9');
                    boolean endOfUpperRun = prev >= 'A' && prev <= 'Z' && i + 1 < n
                            && key.charAt(i + 1) >= 'a' && key.charAt(i + 1) <= 'z';
                    if (afterLowerOrDigit || endOfUpperRun) {
                        out.append('_');
                    }
                }
                out.append((char) (c + ('a' - 'A')));
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
                out.append(c);
            } else {
                out.append('_');
            }
        }
        // collapse runs of '_' (they come from separators, replaced characters or the source itself)
        StringBuilder collapsed = new StringBuilder(out.length());
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c != '_' || collapsed.length() == 0 || collapsed.charAt(collapsed.length() - 1) != '_') {
                collapsed.append(c);
            }
        }
        return collapsed.length() == 0 ? "_" : collapsed.toString();
    }

    /** Joins converted parts with {@code __} and applies the leading-digit rule (rules 2 and 3); no length rule. */
    public static String join(List<String> keys) {
        String name = joinParts(keys);
        return name.charAt(0) >= '0' && name.charAt(0) <= '9' ? "_" + name : name;
    }

    /** Appends converted parts to an existing (already valid) prefix such as a parent table name. */
    public static String extend(String prefix, List<String> keys) {
        return prefix + NESTING + joinParts(keys);
    }

    private static String joinParts(List<String> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a name needs at least one part");
        }
        StringBuilder b = new StringBuilder();
        for (String key : keys) {
            if (b.length() > 0) {
                b.append(NESTING);
            }
            b.append(part(key));
        }
        return b.toString();
    }

    /** Applies the length rule (rule 4): names over 63 characters are cut and suffixed with the hash of {@code sourcePath}. */
    public static String fitLength(String name, String sourcePath) {
        if (name.length() <= MAX_IDENTIFIER_LENGTH) {
            return name;
        }
        return name.substring(0, TRUNCATED_LENGTH) + "_" + hash8(sourcePath);
    }

    /**
     * The name to use when {@code name} is already taken by another source path (rule 5). {@code attempt} 0 is
     * the documented form; higher attempts (only if even that is taken) hash {@code sourcePath + "#" + attempt}.
     */
    public static String disambiguate(String name, String sourcePath, int attempt) {
        String base = name.length() > TRUNCATED_LENGTH ? name.substring(0, TRUNCATED_LENGTH) : name;
        return base + "_" + hash8(attempt == 0 ? sourcePath : sourcePath + "#" + attempt);
    }

    /** First 8 hex characters of the SHA-256 of the UTF-8 bytes of {@code s}. */
    public static String hash8(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
