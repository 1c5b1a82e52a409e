package dev.clarisync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SplittableRandom;

/**
 * Text as speech-to-text, calendar invites and CRM fields typed by people deliver it: control characters (NUL
 * included) and, as the JSON escape {@code &#92;ud800}, an unpaired surrogate, in about {@code rate} of the calls' titles
 * and of all transcript turns ({@link SimulatorData#controlCharacters}). Which texts, and what goes where, is a pure
 * function of the call id, so every answer for a call (list item, details, a re-fetch) carries the same text.
 */
final class ControlCharacters {
    /** What is put into a chosen text: NUL alone, with other C0/DEL characters, and lone surrogates of either half. */
    static final String[] INSERTS = {"\u0000", "\u0001\u0000", "\u0000\u001f", "\ud800", "\u0007\u0000\udc00", "\u007f",
            "\u001b[0m", "\u0000\u0000"};

    private ControlCharacters() {
    }

    /** Changes {@code call} (a list item or details answer of call {@code id}) in place; rate 0 changes nothing. */
    static void apply(ObjectNode call, String id, double rate) {
        if (rate <= 0) {
            return;
        }
        long seed = Seeds.mix(Seeds.hash(id), 0xC0C0);
        SplittableRandom r = new SplittableRandom(seed);
        if (r.nextDouble() < rate && call.path("title").isTextual()) {
            call.put("title", insert(call.get("title").asText(), r));
        }
        JsonNode transcript = call.get("transcript");
        if (transcript != null && transcript.isArray()) {
            for (JsonNode turn : transcript) {
                if (r.nextDouble() < rate && turn.path("text").isTextual()) {
                    ((ObjectNode) turn).put("text", insert(turn.get("text").asText(), r));
                }
            }
        }
    }

    private static String insert(String text, SplittableRandom r) {
        int at = text.isEmpty() ? 0 : r.nextInt(text.length() + 1);
        // never between the halves of a surrogate pair (an emoji): that would make two lone surrogates
        if (at > 0 && at < text.length() && Character.isLowSurrogate(text.charAt(at))) {
            at--;
        }
        return text.substring(0, at) + Seeds.pick(r, INSERTS) + text.substring(at);
    }
}
