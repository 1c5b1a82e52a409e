package dev.clarisync.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.UncheckedIOException;

/** The shared mapper and the API's two error body styles. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** Application error: {@code {"errorMessage": "..."}}. */
    static String error(String message) {
        return write(JsonNodeFactory.instance.objectNode().put("errorMessage", message));
    }

    /** Gateway error: {@code {"message": "..."}}. */
    static String message(String message) {
        return write(JsonNodeFactory.instance.objectNode().put("message", message));
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
