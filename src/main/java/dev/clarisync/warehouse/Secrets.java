package dev.clarisync.warehouse;

import java.util.regex.Pattern;

/** Keeps passwords out of exception messages. */
final class Secrets {

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    private Secrets() {
    }

    /** The URL with any {@code password=...} parameter masked. */
    static String maskUrl(String url) {
        return url == null ? "null" : URL_PASSWORD.matcher(url).replaceAll("$1***");
    }

    /**
     * A one-line reason from an exception message: first line only, URL passwords masked, and the password
     * itself masked wherever it appears (if it is at least 4 characters: shorter ones would garble the text and
     * reveal nothing).
     */
    static String oneLine(String message, String password) {
        String m = message == null ? "unknown error" : message.strip();
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl).strip();
        }
        m = maskUrl(m);
        if (password != null && password.length() >= 4) {
            m = m.replace(password, "***");
        }
        return m;
    }
}
