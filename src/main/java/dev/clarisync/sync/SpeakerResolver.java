package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * Makes transcripts readable: a turn only carries {@code personId}, so each turn gets
 * {@code speaker_name}, {@code speaker_email} and {@code speaker_internal}, resolved against the same
 * call's {@code users} (internal; names from the users stream), {@code externalParticipants} and
 * {@code joinedParticipants}. Unresolvable ids get no speaker fields (left null in the table).
 */
public final class SpeakerResolver {
    private record Speaker(String name, String email, boolean internal) {
    }

    private SpeakerResolver() {
    }

    /** Adds the speaker fields to every transcript turn of {@code call}, in place. */
    public static void enrich(ObjectNode call, Map<String, String> userNamesById) {
        JsonNode transcript = call.get("transcript");
        if (transcript == null || !transcript.isArray() || transcript.isEmpty()) {
            return;
        }
        Map<String, Speaker> byPerson = new HashMap<>();
        // the order matters: an internal user wins over a joined-participant entry for the same person
        collect(call.get("joinedParticipants"), byPerson, false, Map.of());
        collect(call.get("externalParticipants"), byPerson, false, Map.of());
        collect(call.get("users"), byPerson, true, userNamesById);
        for (JsonNode turn : transcript) {
            if (!(turn instanceof ObjectNode t) || !t.hasNonNull("personId")) {
                continue;
            }
            Speaker s = byPerson.get(t.get("personId").asText());
            if (s != null) {
                if (s.name() != null) {
                    t.put("speaker_name", s.name());
                }
                if (s.email() != null) {
                    t.put("speaker_email", s.email());
                }
                t.put("speaker_internal", s.internal());
            }
        }
    }

    private static void collect(JsonNode people, Map<String, Speaker> into, boolean internal, Map<String, String> names) {
        if (people == null || !people.isArray()) {
            return;
        }
        for (JsonNode p : people) {
            if (!p.hasNonNull("personId")) {
                continue;
            }
            String email = text(p, internal ? "userEmail" : "email");
            String name = internal ? names.get(text(p, "userId")) : text(p, "name");
            into.put(p.get("personId").asText(), new Speaker(name, email, internal));
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
