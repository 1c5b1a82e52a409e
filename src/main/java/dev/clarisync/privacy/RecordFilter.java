package dev.clarisync.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.clarisync.privacy.PersonHasher.Kind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * This class finds the people and walks the record; {@link TextScrubber} rewrites values and text against the
 * people's {@link KnownForms}; {@link DroppedPaths} removes the dropped paths.
 */
public final class RecordFilter {
    /** What a forgotten person's words and names become. */
    public static final String FORGOTTEN = "[forgotten]";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> EMAIL_KEYS = Set.of("email", "userEmail", "speaker_email", "user_email");
    private static final Set<String> NAME_KEYS = Set.of("speaker_name", "owner_name");
    private static final Set<String> PERSON_ARRAYS = Set.of("externalParticipants", "joinedParticipants", "phrases_matched");
    private static final Set<String> PARTICIPANT_ARRAYS = Set.of("externalParticipants", "joinedParticipants");

    private final PrivacySettings settings;
    private final PersonHasher hasher;
    private final Set<String> forgotten;
    private final Map<String, Person> directory;
    private final TextScrubber scrub;
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
        this.scrub = new TextScrubber(settings, hasher, this.forgotten);
        KnownForms d = forms(Map.of());
        this.directory.values().forEach(p -> d.add(p, false));
        this.directoryForms = Map.copyOf(d.own);
    }

    /**
     * A text with every forgotten value in it (email address, phone number, run of up to four words hashing to a
     * forgotten token) replaced by {@value #FORGOTTEN}: what {@code forget} applies to stored text.
     */
    public String forgetInText(String s) {
        return s == null ? null : scrub.text(s, forms(Map.of()));
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
            if (scrub.isForgotten(p)) {
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
        KnownForms forms = forms(directoryForms);
        for (Person p : people) {
            if (!gone.contains(p)) {
                forms.add(p, false);
            }
        }
        for (Person p : gone) {
            forms.add(p, true);
        }
        walk(copy, null, userRecord, forms, gonePersonIds);
        DroppedPaths.drop(settings, copy);
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
    private void walk(ObjectNode node, String parentArray, boolean userRoot, KnownForms r, Set<String> gonePersonIds) {
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
                                ? scrub.whole(Kind.NAMES, e.asText(), r) : scrub.text(e.asText(), r)));
                    }
                }
            } else if (v.isTextual()) {
                String s = v.asText();
                String out;
                if (spokenByForgotten && (key.equals("text") || key.equals("reasoning") || key.equals("speaker_name")
                        || key.equals("speaker_email"))) {
                    out = FORGOTTEN;
                } else if (EMAIL_KEYS.contains(key)) {
                    out = scrub.whole(Kind.EMAILS, s, r);
                } else if (key.equals("phone")) {
                    out = scrub.whole(Kind.PHONES, s, r);
                } else if (NAME_KEYS.contains(key) || key.equals("name") && (userRoot || parentArray != null && PERSON_ARRAYS.contains(parentArray))) {
                    out = scrub.whole(Kind.NAMES, s, r);
                } else if (identifier(key)) {
                    out = s;
                } else {
                    out = scrub.text(s, r);
                }
                if (!out.equals(s)) {
                    f.setValue(TextNode.valueOf(out));
                }
            }
        }
    }

    private static boolean identifier(String key) {
        return key.equals("id") || key.endsWith("Id") || key.endsWith("_id") || key.endsWith("_ids") || key.endsWith("_url")
                || key.equals("icaluid") || key.endsWith("_time") || key.equals("time");
    }

    private KnownForms forms(Map<String, String> base) {
        return new KnownForms(base, settings, hasher);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }
}
