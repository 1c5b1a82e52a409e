package dev.clarisync.privacy;

import dev.clarisync.privacy.PersonHasher.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text side of {@link RecordFilter}: whether a value hashes to a forgotten token, what a whole-value field (an
 * email, a phone, a name) becomes, and free text with every known or forgotten person in it replaced.
 */
final class TextScrubber {
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern PHONE = Pattern.compile("(?<![0-9])\\+?\\(?[0-9][0-9 ().-]{5,}[0-9](?![0-9])");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['’-][\\p{L}\\p{N}]+)*");
    private static final int MAX_NAME_WORDS = 4;
    private static final String FORGOTTEN = RecordFilter.FORGOTTEN;

    private final PrivacySettings settings;
    private final PersonHasher hasher;
    private final Set<String> forgotten;

    TextScrubber(PrivacySettings settings, PersonHasher hasher, Set<String> forgotten) {
        this.settings = settings;
        this.hasher = hasher;
        this.forgotten = forgotten;
    }

    boolean isForgotten(Person p) {
        if (forgotten.isEmpty()) {
            return false;
        }
        return isForgotten(Kind.EMAILS, p.email()) || isForgotten(Kind.NAMES, p.name()) || isForgotten(Kind.PHONES, p.phone());
    }

    /** Whether the value hashes to a forgotten token (false without anything forgotten, or for null). */
    boolean isForgotten(Kind kind, String value) {
        if (forgotten.isEmpty() || value == null) {
            return false;
        }
        String token = hasher.token(kind, value);
        return token != null && forgotten.contains(token);
    }

    /** A field whose whole value is a person's email, phone or name. */
    String whole(Kind kind, String value, KnownForms r) {
        if (PersonHasher.isToken(value) || FORGOTTEN.equals(value)) {
            return value;
        }
        if (isForgotten(kind, value)) {
            return FORGOTTEN;
        }
        if (settings.hashes(kind)) {
            return hasher.token(kind, value);
        }
        return text(value, r);
    }

    /**
     * Free text, in one pass per kind and without a pattern per person: email addresses, phone-like digit runs and runs
     * of one to four words are looked up as normal forms among the known people's (each becoming its token, or
     * {@value RecordFilter#FORGOTTEN}); with emails hashed every address is hashed; any of them that hashes to a
     * forgotten token is forgotten, whoever it belongs to.
     */
    String text(String s, KnownForms r) {
        if (s.isEmpty() || PersonHasher.isToken(s) || FORGOTTEN.equals(s)) {
            return s;
        }
        String out = replace(s, EMAIL, m -> {
            String rep = r.get(Kind.EMAILS, PersonHasher.normalise(Kind.EMAILS, m));
            if (rep == null && !forgotten.isEmpty() && isForgotten(Kind.EMAILS, m)) {
                return FORGOTTEN;
            }
            return rep != null ? rep : settings.hashes(Kind.EMAILS) ? hasher.token(Kind.EMAILS, m) : null;
        });
        out = replace(out, PHONE, m -> {
            String digits = PersonHasher.normalise(Kind.PHONES, m);
            String rep = r.get(Kind.PHONES, digits);
            if (rep == null && !forgotten.isEmpty() && (isForgotten(Kind.PHONES, m)
                    || digits != null && digits.length() == 10 && isForgotten(Kind.PHONES, "1" + digits))) {
                return FORGOTTEN;
            }
            return rep;
        });
        return wordRuns(out, r);
    }

    /** Replaces each run of 1..4 words that is a known name (or hashes to a forgotten one), longest runs first. */
    private String wordRuns(String s, KnownForms r) {
        if (r.names == 0 && forgotten.isEmpty()) {
            return s;
        }
        List<int[]> words = new ArrayList<>();
        Matcher m = WORD.matcher(s);
        while (m.find()) {
            words.add(new int[] {m.start(), m.end()});
        }
        StringBuilder out = new StringBuilder();
        int copied = 0;
        int i = 0;
        while (i < words.size()) {
            int matched = 0;
            String rep = null;
            for (int n = Math.min(MAX_NAME_WORDS, words.size() - i); n >= 1 && matched == 0; n--) {
                String run = s.substring(words.get(i)[0], words.get(i + n - 1)[1]);
                rep = r.get(Kind.NAMES, PersonHasher.normalise(Kind.NAMES, run));
                if (rep == null && isForgotten(Kind.NAMES, run)) {
                    rep = FORGOTTEN;
                }
                if (rep != null) {
                    matched = n;
                }
            }
            if (matched > 0) {
                out.append(s, copied, words.get(i)[0]).append(rep);
                copied = words.get(i + matched - 1)[1];
                i += matched;
            } else {
                i++;
            }
        }
        return copied == 0 ? s : out.append(s.substring(copied)).toString();
    }

    private static String replace(String s, Pattern p, Function<String, String> replacement) {
        Matcher m = p.matcher(s);
        StringBuilder out = null;
        int copied = 0;
        while (m.find()) {
            String rep = replacement.apply(m.group());
            if (rep == null || rep.equals(m.group())) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length());
            }
            out.append(s, copied, m.start()).append(rep);
            copied = m.end();
        }
        return out == null ? s : out.append(s, copied, s.length()).toString();
    }
}
