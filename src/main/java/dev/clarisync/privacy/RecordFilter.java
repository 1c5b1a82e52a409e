package dev.clarisync.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.clarisync.privacy.PersonHasher.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place a record's personal data is hashed, forgotten or dropped, before anything of it is written (every
 * table and child table, the details backlog's title, {@code _rejected_records.answer}). Works on a copy; the record
 * given is never changed (its version and content hash were taken from it as Clari sent it).
 *
 * <ol>
 *   <li><b>Forgotten people</b> ({@code _forgotten}): a participant (external, joined, internal user) whose email,
 *   name or phone hashes to a forgotten token is removed from the participant lists, every form of them in any text
 *   becomes {@value #FORGOTTEN}, and so do the transcript turns (and competitor sentiments) they spoke. Any text is
 *   also searched for forgotten values by hashing its email addresses, {@code +}-phone numbers and runs of one to four
 *   words, so a forgotten person is found in calls they did not take part in too.</li>
 *   <li><b>Hashing</b> ({@code clari.privacy.hash}): whole-value fields are replaced by their token (emails:
 *   {@code email}, {@code userEmail}, {@code speaker_email}, {@code user_email}; phones: {@code phone}; names: a
 *   participant's or phrase's {@code name}, the users stream's {@code name}, {@code speaker_name}, {@code owner_name},
 *   each of {@code contact_names}); inside any other text, every form of a known person (the record's participants and
 *   the workspace's users) is replaced by its token, and with emails hashed any email address too.</li>
 *   <li><b>Dropping</b> ({@code clari.privacy.drop}): the named paths are removed.</li>
 * </ol>
 * Identifier fields ({@code id}, {@code *Id}, {@code *_id}, {@code *_ids}, {@code *_url}) are never searched as text.
 */
public final class RecordFilter {
    /** What a forgotten person's words and names become. */
    public static final String FORGOTTEN = "[forgotten]";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern PHONE = Pattern.compile("(?<![0-9])\\+?\\(?[0-9][0-9 ().-]{5,}[0-9](?![0-9])");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['’-][\\p{L}\\p{N}]+)*");
    private static final Set<String> EMAIL_KEYS = Set.of("email", "userEmail", "speaker_email", "user_email");
    private static final Set<String> NAME_KEYS = Set.of("speaker_name", "owner_name");
    private static final Set<String> PERSON_ARRAYS = Set.of("externalParticipants", "joinedParticipants", "phrases_matched");
    private static final Set<String> PARTICIPANT_ARRAYS = Set.of("externalParticipants", "joinedParticipants");
    private static final int MAX_NAME_WORDS = 4;

    private final PrivacySettings settings;
    private final PersonHasher hasher;
    private final Set<String> forgotten;
    private final Map<String, Person> directory;
    /** The users' forms (kind:normal form → token), computed once. */
    private final Map<String, String> directoryForms;

    /**
     * @param hasher    under the salt; null only when nothing is hashed and nothing is forgotten
     * @param forgotten the tokens of {@code _forgotten}
     * @param directory the workspace's users by id, in clear, as {@code /users} sent them (may be empty)
     */
    public RecordFilter(PrivacySettings settings, PersonHasher hasher, Set<String> forgotten, Map<String, Person> directory) {
        this.settings = settings;
        this.hasher = hasher;
        this.forgotten = Set.copyOf(forgotten);
        this.directory = Map.copyOf(directory);
        if (hasher == null && (!settings.hashed().isEmpty() || !this.forgotten.isEmpty())) {
            throw new IllegalArgumentException("hashing and forgetting need the salt");
        }
        Forms d = new Forms(Map.of());
        this.directory.values().forEach(p -> d.add(p, false));
        this.directoryForms = Map.copyOf(d.own);
    }

    /**
     * A text with every forgotten value in it (email address, phone number, run of up to four words hashing to a
     * forgotten token) replaced by {@value #FORGOTTEN}: what {@code forget} applies to stored text.
     */
    public String forgetInText(String s) {
        return s == null ? null : text(s, new Forms(Map.of()));
    }

    /** Whether the filter changes anything at all. */
    public boolean active() {
        return !settings.hashed().isEmpty() || !settings.drop().isEmpty() || !forgotten.isEmpty();
    }

    /**
     * The record as it may be stored, or null when the record is a forgotten person itself (a {@code users} record):
     * then nothing of it is written.
     */
    public ObjectNode apply(String stream, JsonNode record) {
        if (!active()) {
            // nothing to change: the record itself, not a copy (an all-day transcript's tree is tens of MB; a copy of it
            // ran a 128 MB heap out of memory in EdgeOfTheWorldIT)
            return (ObjectNode) record;
        }
        ObjectNode copy = (ObjectNode) record.deepCopy();
        boolean userRecord = "users".equals(stream);
        List<Person> people = people(copy, userRecord);
        Set<Person> gone = new HashSet<>();
        for (Person p : people) {
            if (isForgotten(p)) {
                gone.add(p);
            }
        }
        if (userRecord && !gone.isEmpty()) {
            return null;
        }
        Set<String> gonePersonIds = new HashSet<>();
        gone.forEach(p -> {
            if (p.personId() != null) {
                gonePersonIds.add(p.personId());
            }
        });
        removeForgottenParticipants(copy, gone);
        Forms forms = new Forms(directoryForms);
        for (Person p : people) {
            if (!gone.contains(p)) {
                forms.add(p, false);
            }
        }
        for (Person p : gone) {
            forms.add(p, true);
        }
        walk(copy, null, userRecord, forms, gonePersonIds);
        for (String path : settings.drop()) {
            drop(copy, path.split("\\."), 0);
        }
        return copy;
    }

    /**
     * A set-aside answer's text after the same filter: a JSON answer is filtered like a record (its {@code call}, when
     * wrapped); text that is not JSON is withheld (null) while the filter is active, since nothing in it can be told
     * apart from a name.
     */
    public String applyToAnswer(String stream, String answer) {
        if (answer == null || !active()) {
            return answer;
        }
        try {
            JsonNode tree = JSON.readTree(answer);
            if (tree instanceof ObjectNode root) {
                if (root.get("call") instanceof ObjectNode call) {
                    ObjectNode copy = root.deepCopy();
                    ObjectNode filtered = apply(stream, call);
                    copy.set("call", filtered);
                    return JSON.writeValueAsString(copy);
                }
                ObjectNode filtered = apply(stream, root);
                return filtered == null ? null : JSON.writeValueAsString(filtered);
            }
        } catch (Exception e) {
            // not JSON (or cut): withheld below
        }
        return null;
    }

    /** Every person the record names: its participant lists, its internal users, or the user it is. */
    private List<Person> people(ObjectNode record, boolean userRecord) {
        List<Person> out = new ArrayList<>();
        if (userRecord) {
            out.add(new Person(text(record, "name"), text(record, "email"), null, null));
            return out;
        }
        for (String list : PARTICIPANT_ARRAYS) {
            if (record.get(list) instanceof ArrayNode array) {
                for (JsonNode p : array) {
                    out.add(new Person(text(p, "name"), text(p, "email"), text(p, "phone"), text(p, "personId")));
                }
            }
        }
        if (record.get("users") instanceof ArrayNode users) {
            for (JsonNode u : users) {
                String userId = text(u, "userId");
                Person known = userId == null ? null : directory.get(userId);
                out.add(new Person(known == null ? null : known.name(), text(u, "userEmail"), null, text(u, "personId")));
            }
        }
        return out;
    }

    private boolean isForgotten(Person p) {
        if (forgotten.isEmpty()) {
            return false;
        }
        return isForgotten(Kind.EMAILS, p.email()) || isForgotten(Kind.NAMES, p.name()) || isForgotten(Kind.PHONES, p.phone());
    }

    /** Whether the value hashes to a forgotten token (false without anything forgotten, or for null). */
    private boolean isForgotten(Kind kind, String value) {
        if (forgotten.isEmpty() || value == null) {
            return false;
        }
        String token = hasher.token(kind, value);
        return token != null && forgotten.contains(token);
    }

    private void removeForgottenParticipants(ObjectNode record, Set<Person> gone) {
        if (gone.isEmpty()) {
            return;
        }
        for (String list : List.of("externalParticipants", "joinedParticipants", "users")) {
            if (record.get(list) instanceof ArrayNode array) {
                for (Iterator<JsonNode> it = array.iterator(); it.hasNext(); ) {
                    JsonNode p = it.next();
                    for (Person g : gone) {
                        if (same(p, g)) {
                            it.remove();
                            break;
                        }
                    }
                }
            }
        }
    }

    private static boolean same(JsonNode node, Person p) {
        String email = text(node, node.has("userEmail") ? "userEmail" : "email");
        String personId = text(node, "personId");
        if (p.personId() != null && personId != null) {
            return p.personId().equals(personId) && java.util.Objects.equals(email, p.email());
        }
        return java.util.Objects.equals(email, p.email()) && java.util.Objects.equals(text(node, "name"), p.name())
                && java.util.Objects.equals(text(node, "phone"), p.phone());
    }

    /** Hashes, forgets and searches text, depth first. {@code parentArray}: the name of the array holding this object. */
    private void walk(ObjectNode node, String parentArray, boolean userRoot, Forms r, Set<String> gonePersonIds) {
        boolean spokenByForgotten = node.hasNonNull("personId") && gonePersonIds.contains(node.get("personId").asText());
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = f.getKey();
            JsonNode v = f.getValue();
            if (v instanceof ObjectNode o) {
                walk(o, null, false, r, gonePersonIds);
            } else if (v instanceof ArrayNode a) {
                for (int i = 0; i < a.size(); i++) {
                    JsonNode e = a.get(i);
                    if (e instanceof ObjectNode o) {
                        walk(o, key, false, r, gonePersonIds);
                    } else if (e.isTextual()) {
                        a.set(i, TextNode.valueOf("contact_names".equals(key)
                                ? whole(Kind.NAMES, e.asText(), r) : text(e.asText(), r)));
                    }
                }
            } else if (v.isTextual()) {
                String s = v.asText();
                String out;
                if (spokenByForgotten && (key.equals("text") || key.equals("reasoning") || key.equals("speaker_name")
                        || key.equals("speaker_email"))) {
                    out = FORGOTTEN;
                } else if (EMAIL_KEYS.contains(key)) {
                    out = whole(Kind.EMAILS, s, r);
                } else if (key.equals("phone")) {
                    out = whole(Kind.PHONES, s, r);
                } else if (NAME_KEYS.contains(key) || key.equals("name") && (userRoot || parentArray != null && PERSON_ARRAYS.contains(parentArray))) {
                    out = whole(Kind.NAMES, s, r);
                } else if (identifier(key)) {
                    out = s;
                } else {
                    out = text(s, r);
                }
                if (!out.equals(s)) {
                    f.setValue(TextNode.valueOf(out));
                }
            }
        }
    }

    /** A field whose whole value is a person's email, phone or name. */
    private String whole(Kind kind, String value, Forms r) {
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

    private static boolean identifier(String key) {
        return key.equals("id") || key.endsWith("Id") || key.endsWith("_id") || key.endsWith("_ids") || key.endsWith("_url")
                || key.equals("icaluid") || key.endsWith("_time") || key.equals("time");
    }

    /**
     * Free text, in one pass per kind and without a pattern per person: email addresses, phone-like digit runs and runs
     * of one to four words are looked up as normal forms among the known people's (each becoming its token, or
     * {@value #FORGOTTEN}); with emails hashed every address is hashed; any of them that hashes to a forgotten token is
     * forgotten, whoever it belongs to.
     */
    private String text(String s, Forms r) {
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
    private String wordRuns(String s, Forms r) {
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

    private static String replace(String s, Pattern p, java.util.function.Function<String, String> replacement) {
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

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    /** Removes a path (object keys, arrays crossed transparently); a segment matches a key or its snake_case form. */
    private static void drop(JsonNode node, String[] path, int at) {
        if (node instanceof ArrayNode a) {
            a.forEach(e -> drop(e, path, at));
            return;
        }
        if (!(node instanceof ObjectNode o)) {
            return;
        }
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            if (key.equals(path[at]) || snake(key).equals(path[at].toLowerCase(Locale.ROOT))) {
                if (at == path.length - 1) {
                    o.remove(key);
                } else {
                    drop(o.get(key), path, at + 1);
                }
            }
        }
    }

    static String snake(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /**
     * The forms of known people to look for in text (kind:normal form), each with what it becomes: its token, or
     * {@value #FORGOTTEN}. A form whose kind is not hashed is not searched (unless forgotten). Forgetting wins.
     */
    private final class Forms {
        final Map<String, String> own = new HashMap<>();
        private final Map<String, String> base;
        int names;

        Forms(Map<String, String> base) {
            this.base = base;
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
            String rep = gone ? FORGOTTEN : hasher.token(kind, value);
            put(kind + ":" + n, rep);
            if (kind == Kind.PHONES && n.length() == 11 && n.startsWith("1")) {
                put(kind + ":" + n.substring(1), rep); // +1 206 555 0404 also written (206) 555-0404
            }
        }

        private void put(String key, String rep) {
            if (FORGOTTEN.equals(own.get(key))) {
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
}
