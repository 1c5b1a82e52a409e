package dev.clarisync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Reshapes the simulator's answers before they are sent: {@link CapturedShapes} (values shaped like the real
 * API's captured responses) and {@link RandomAnswers} (spec-valid random data). Installed with
 * {@link ClariSimulator#shapeAnswers}; called on a serving thread for every routed JSON answer, so it must be
 * thread-safe.
 */
@FunctionalInterface
public interface AnswerShaper {

    /**
     * The answer to send instead of {@code answer} (which may be changed in place and returned).
     *
     * @param path   request path, e.g. {@code /calls}
     * @param params decoded query parameters
     * @param status the HTTP status about to be sent (200, or an error such as 400 or 404)
     */
    JsonNode shape(String path, Map<String, List<String>> params, int status, JsonNode answer);

    /** The HTTP status to send instead of {@code status}; asked before {@link #shape}. By default unchanged. */
    default int status(String path, Map<String, List<String>> params, int status) {
        return status;
    }
}
