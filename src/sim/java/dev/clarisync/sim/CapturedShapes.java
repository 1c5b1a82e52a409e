package dev.clarisync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Answers shaped like responses captured from the real API (see "What the spec does not tell you" in
 * {@code clari-api.md}): {@code metrics.talk_listen_ratio} as the integers {@code 0} and {@code 1},
 * {@code audio_url}/{@code video_url} null, float32 artefacts in the durations, and on the first {@code /calls}
 * page (skip 0) every array empty except {@code users}, whose {@code personId}s are all 0. A connector that shapes
 * its tables from the first values it sees gets an integer ratio, no URL columns and JSON text columns from it.
 */
public final class CapturedShapes implements AnswerShaper {

    @Override
    public JsonNode shape(String path, Map<String, List<String>> params, int status, JsonNode answer) {
        if (status != 200) {
            return answer;
        }
        if (path.equals("/calls")) {
            List<String> skip = params.get("skip");
            boolean firstPage = skip == null || skip.isEmpty() || skip.get(0).equals("0");
            for (JsonNode call : answer.path("calls")) {
                capture((ObjectNode) call, firstPage);
            }
        } else if (path.equals("/call-details") && answer.get("call") instanceof ObjectNode call) {
            capture(call, false);
        }
        return answer;
    }

    private static void capture(ObjectNode call, boolean emptyArrays) {
        call.putNull("audio_url");
        call.putNull("video_url");
        if (call.get("metrics") instanceof ObjectNode metrics) {
            JsonNode ratio = metrics.get("talk_listen_ratio");
            if (ratio != null && ratio.isNumber()) {
                metrics.put("talk_listen_ratio", ratio.doubleValue() >= 0.5 ? 1 : 0);
            }
            for (String f : List.of("total_speak_duration", "longest_monologue_duration")) {
                JsonNode v = metrics.get(f);
                if (v != null && v.isNumber()) {
                    metrics.put(f, (double) (float) (v.doubleValue() + 0.01)); // e.g. 6.440000057220459
                }
            }
            if (emptyArrays) {
                metrics.putArray("categories");
            }
        }
        if (!emptyArrays) {
            return;
        }
        List<String> arrays = new ArrayList<>();
        call.fields().forEachRemaining(e -> {
            if (e.getValue().isArray() && !e.getKey().equals("users")) {
                arrays.add(e.getKey());
            }
        });
        arrays.forEach(call::putArray);
        for (String f : List.of("externalParticipants", "joinedParticipants")) {
            call.putArray(f);
        }
        if (call.get("crm_info") instanceof ObjectNode crm && crm.has("contact_ids")) {
            crm.putArray("contact_ids");
        }
        if (call.get("users") instanceof ArrayNode users) {
            for (JsonNode u : users) {
                ((ObjectNode) u).put("personId", 0);
            }
        }
    }
}
