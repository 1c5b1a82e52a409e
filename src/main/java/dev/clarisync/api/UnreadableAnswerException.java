package dev.clarisync.api;

/**
 * An answer that can never be read as it is: bytes that are not UTF-8, a shape nothing maps, a size above
 * {@code clari.details.max-answer-bytes}. Asking again returns the same answer, so it is never retried: a per-parent
 * stream sets the record aside ({@code _rejected_records}) and goes on; anywhere else it fails the run with its reason.
 * Carries the answer's text (cut), for the set-aside record.
 */
public final class UnreadableAnswerException extends RuntimeException {
    /** The longest answer text kept with a set-aside record (characters); the rest is cut with a marker. */
    public static final int ANSWER_KEPT_CHARS = 64 * 1024;

    private final String answer;

    public UnreadableAnswerException(String message, String answer) {
        super(message, null, false, false);
        this.answer = answer;
    }

    /** The answer as text (invalid bytes shown as U+FFFD), cut at {@value #ANSWER_KEPT_CHARS} characters; null if none. */
    public String answer() {
        return answer;
    }

    /** The answer's bytes as text for the record, cut at {@value #ANSWER_KEPT_CHARS} characters. */
    public static String excerpt(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        int n = Math.min(bytes.length, ANSWER_KEPT_CHARS * 4);
        return cut(new String(bytes, 0, n, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Text cut at {@value #ANSWER_KEPT_CHARS} characters, with a marker saying so. */
    public static String cut(String text) {
        if (text == null || text.length() <= ANSWER_KEPT_CHARS) {
            return text;
        }
        return text.substring(0, ANSWER_KEPT_CHARS) + " …[cut at " + ANSWER_KEPT_CHARS + " characters]";
    }
}
