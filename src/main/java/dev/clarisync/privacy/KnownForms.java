package dev.clarisync.privacy;

import dev.clarisync.privacy.PersonHasher.Kind;
import java.util.HashMap;
import java.util.Map;

/**
 * The forms of known people to look for in text (kind:normal form), each with what it becomes: its token, or
 * {@value RecordFilter#FORGOTTEN}. A form whose kind is not hashed is not searched (unless forgotten). Forgetting
 * wins. One per record, over the workspace users' forms computed once ({@code base}).
 */
final class KnownForms {
    final Map<String, String> own = new HashMap<>();
    private final Map<String, String> base;
    private final PrivacySettings settings;
    private final PersonHasher hasher;
    /** How many name forms are known: none, and no word run needs looking up. */
    int names;

    KnownForms(Map<String, String> base, PrivacySettings settings, PersonHasher hasher) {
        this.base = base;
        this.settings = settings;
        this.hasher = hasher;
        this.names = (int) base.keySet().stream().filter(k -> k.startsWith(Kind.NAMES + ":")).count();
    }

    void add(Person p, boolean gone) {
        form(Kind.EMAILS, p.email(), gone);
        form(Kind.NAMES, p.name(), gone);
        form(Kind.PHONES, p.phone(), gone);
    }

    private void form(Kind kind, String value, boolean gone) {
        if (value == null || PersonHasher.isToken(value) || !gone && !settings.hashes(kind)) {
            return;
        }
        String n = PersonHasher.normalise(kind, value);
        if (n == null || kind == Kind.PHONES && n.length() < 7 || kind == Kind.NAMES && n.length() < 2) {
            return;
        }
        String rep = gone ? RecordFilter.FORGOTTEN : hasher.token(kind, value);
        put(kind + ":" + n, rep);
        if (kind == Kind.PHONES && n.length() == 11 && n.startsWith("1")) {
            put(kind + ":" + n.substring(1), rep); // +1 206 555 0404 also written (206) 555-0404
        }
    }

    private void put(String key, String rep) {
        if (RecordFilter.FORGOTTEN.equals(own.get(key))) {
            return;
        }
        if (own.put(key, rep) == null && key.startsWith(Kind.NAMES + ":")) {
            names++;
        }
    }

    String get(Kind kind, String normal) {
        if (normal == null) {
            return null;
        }
        String key = kind + ":" + normal;
        String rep = own.get(key);
        return rep != null ? rep : base.get(key);
    }
}
