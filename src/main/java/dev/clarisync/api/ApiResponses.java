package dev.clarisync.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.InputStream;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/** Parses Clari's JSON answers. A body that is not a JSON object is a {@link MalformedResponseException}, retried like a 5xx. */
public final class ApiResponses {
    private final ObjectMapper mapper;

    public ApiResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** What {@link #parse} returns for a 404 to a request marked {@link ApiCall#notFoundIsAnswer}: the record is gone. */
    public static final JsonNode NOT_FOUND = MissingNode.getInstance();

    /**
     * Exchange property: the bytes of the answer {@link #parse} read, when it came whole into memory. A per-parent
     * stream fingerprints its record from them rather than from the parsed tree, and removes the property.
     */
    public static final String ANSWER_BYTES = "clariAnswerBytes";

    /**
     * Route step: the HTTP body becomes a {@link JsonNode}. A 404 is accepted by the HTTP endpoint so a
     * deleted call's details do not look like a failure: here it becomes {@link #NOT_FOUND} for a
     * request marked {@link ApiCall#notFoundIsAnswer} (a per-parent fetch), and an {@link HttpOperationFailedException} (a configuration error) elsewhere.
     */
    public JsonNode parse(Exchange exchange) throws HttpOperationFailedException {
        exchange.removeProperty(ANSWER_BYTES); // an earlier attempt's
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null && status == 404) {
            if (exchange.getProperty(ApiCall.NOT_FOUND_IS_ANSWER, false, Boolean.class)) {
                return NOT_FOUND;
            }
            throw new HttpOperationFailedException(exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class), 404,
                    "Not Found", null, null, exchange.getMessage().getBody(String.class));
        }
        // an answer read whole into memory is parsed from its bytes (no stream conversion on every request)
        byte[] whole = exchange.getMessage().getBody() instanceof byte[] b ? b : null;
        try (InputStream in = whole != null ? null : exchange.getMessage().getBody(InputStream.class)) {
            if (whole == null && in == null) {
                throw new MalformedResponseException(ApiCall.describe(exchange) + " answered with an empty body", null);
            }
            JsonNode node = whole != null ? mapper.readTree(whole) : mapper.readTree(in);
            if (node == null || !node.isObject()) {
                throw new MalformedResponseException(ApiCall.describe(exchange) + " answered with something other than a JSON object", null);
            }
            if (whole != null && exchange.getProperty(ApiCall.NOT_FOUND_IS_ANSWER, false, Boolean.class)) {
                exchange.setProperty(ANSWER_BYTES, whole);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedResponseException(ApiCall.describe(exchange) + " answered with malformed or truncated JSON ("
                    + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new MalformedResponseException(ApiCall.describe(exchange) + " body could not be read: " + e.getMessage(), e);
        }
    }

    /** The array under {@code field}, or a {@link MalformedResponseException} naming what was missing. */
    public static JsonNode requireArray(JsonNode page, String field, String what) {
        JsonNode a = page.get(field);
        if (a == null || !a.isArray()) {
            throw new MalformedResponseException(what + ": the answer has no '" + field + "' array", null);
        }
        return a;
    }
}
