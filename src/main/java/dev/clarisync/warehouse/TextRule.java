package dev.clarisync.warehouse;

/**
 * What a dialect does to text the database cannot hold, before it is bound or loaded ({@link Dialect#textRule}). One
 * rule per dialect, the same for every table, child table and column, data and bookkeeping alike.
 * <ul>
 *   <li>An unpaired UTF-16 surrogate (a JSON {@code "&#92;ud800"} escape Jackson decodes as it is) has no UTF-8 form: the
 *       drivers would silently write {@code ?} for it. Every rule replaces it by U+FFFD, the replacement character,
 *       so the change is visible and counted.</li>
 *   <li>PostgreSQL's {@code text} cannot hold NUL (U+0000): {@link #UNICODE_WITHOUT_NUL} removes it. DuckDB stores
 *       and returns NUL as it came, so {@link #UNICODE} keeps it.</li>
 * </ul>
 * Every other character, control characters included, is kept.
 */
public enum TextRule {
    /** Unpaired surrogates become U+FFFD; everything else is kept (DuckDB, other JDBC databases). */
    UNICODE(false),
    /** Also removes NUL characters (PostgreSQL). */
    UNICODE_WITHOUT_NUL(true);

    private static final char REPLACEMENT = '\uFFFD';
    private final boolean dropsNul;

    TextRule(boolean dropsNul) {
        this.dropsNul = dropsNul;
    }

    /** What the rule does, for the run's log line. */
    public String describe() {
        return (dropsNul ? "NUL removed, " : "") + "unpaired surrogates replaced by U+FFFD";
    }

    /** {@code value} cleaned by this rule: the same instance when nothing had to change (the common case, one scan). */
    public String clean(String value) {
        if (value == null) {
            return null;
        }
        int first = firstToChange(value);
        return first < 0 ? value : rewrite(value, first);
    }

    /** {@link #clean} for a bound or loaded value of any type: only strings change. */
    public Object cleanValue(Object value) {
        return value instanceof String s ? clean(s) : value;
    }

    private int firstToChange(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == 0 ? dropsNul : Character.isSurrogate(c) && !paired(s, i)) {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                i++; // its low half, checked by paired()
            }
        }
        return -1;
    }

    private String rewrite(String s, int from) {
        StringBuilder out = new StringBuilder(s.length()).append(s, 0, from);
        for (int i = from, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == 0 && dropsNul) {
                continue;
            }
            if (Character.isSurrogate(c)) {
                if (paired(s, i)) {
                    out.append(c).append(s.charAt(++i));
                } else {
                    out.append(REPLACEMENT);
                }
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Whether the surrogate at {@code i} is the high half of a pair. */
    private static boolean paired(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
}
