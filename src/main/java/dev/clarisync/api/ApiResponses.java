package dev.clarisync.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.clarisync.routes.ExchangeProperties;
import java.io.IOException;
import java.io.InputStream;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Parses Clari's JSON answers. A body that is not a JSON object is a {@link MalformedResponseException}, retried like a
 * 5xx; one that can never be read as it is (bytes that are not UTF-8, a per-parent answer above
 * {@code clari.details.max-answer-bytes}) is an {@link UnreadableAnswerException}, never retried.
 */
public final class ApiResponses {
    private final ObjectMapper mapper;

    public ApiResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** What {@link #parse} returns for a 404 to a request marked {@link ApiCall#notFoundIsAnswer}: the record is gone. */
    public static final JsonNode NOT_FOUND = MissingNode.getInstance();

    /**
     * Route step: the HTTP body becomes a {@link JsonNode}. A 404 is accepted by the HTTP endpoint so a
     * deleted call's details do not look like a failure: here it becomes {@link #NOT_FOUND} for a
     * request marked {@link ApiCall#notFoundIsAnswer} (a per-parent fetch), and an {@link HttpOperationFailedException} (a configuration error) elsewhere.
     */
    public JsonNode parse(Exchange exchange) throws HttpOperationFailedException {
        exchange.removeProperty(ExchangeProperties.ANSWER_BYTES); // an earlier attempt's
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null && status == 404) {
            if (exchange.getProperty(ExchangeProperties.NOT_FOUND_IS_ANSWER, false, Boolean.class)) {
                return NOT_FOUND;
            }
            throw new HttpOperationFailedException(exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class), 404,
                    "Not Found", null, null, exchange.getMessage().getBody(String.class));
        }
        boolean perParent = exchange.getProperty(ExchangeProperties.NOT_FOUND_IS_ANSWER, false, Boolean.class);
        // an answer read whole into memory is parsed from its bytes (no stream conversion on every request)
        byte[] whole = exchange.getMessage().getBody() instanceof byte[] b ? b : null;
        ApiTarget target = exchange.getProperty(ExchangeProperties.RUN, ApiTarget.class);
        long cap = perParent && target != null ? target.maxAnswerBytes() : Long.MAX_VALUE;
        if (whole != null && whole.length > cap) {
            throw tooLarge(exchange, whole.length, cap);
        }
        try (InputStream in = whole != null ? null : capped(exchange.getMessage().getBody(InputStream.class), cap)) {
            if (whole == null && in == null) {
                throw new MalformedResponseException(ApiCall.describe(exchange) + " answered with an empty body", null);
            }
            JsonNode node = whole != null ? mapper.readTree(whole) : mapper.readTree(in);
            if (node == null || !node.isObject()) {
                throw new MalformedResponseException(ApiCall.describe(exchange) + " answered with something other than a JSON object", null);
            }
            if (whole != null && perParent) {
                exchange.setProperty(ExchangeProperties.ANSWER_BYTES, whole);
            }
            return node;
        } catch (JsonProcessingException e) {
            if (isNotUtf8(e)) {
                // the same bytes come back on every request: never retried
                throw new UnreadableAnswerException(ApiCall.describe(exchange) + " answered with bytes that are not UTF-8 ("
                        + e.getOriginalMessage() + ")", UnreadableAnswerException.excerpt(whole));
            }
            throw new MalformedResponseException(ApiCall.describe(exchange) + " answered with malformed or truncated JSON ("
                    + e.getOriginalMessage() + ")", e);
        } catch (AnswerTooLarge e) {
            throw tooLarge(exchange, e.read, cap);
        } catch (IOException e) {
            throw new MalformedResponseException(ApiCall.describe(exchange) + " body could not be read: " + e.getMessage(), e);
        }
    }

    /** Jackson's words for a byte sequence that is not UTF-8 (its UTF-8 reader names them so, in every version we use). */
    private static boolean isNotUtf8(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        return m != null && m.startsWith("Invalid UTF-8");
    }

    private static UnreadableAnswerException tooLarge(Exchange exchange, long size, long cap) {
        return new UnreadableAnswerException(ApiCall.describe(exchange) + " answered with " + size + " bytes or more, above"
                + " clari.details.max-answer-bytes (" + cap + ")", null);
    }

    /** Thrown by {@link #capped} once an answer passes the cap: it is not read further. */
    private static final class AnswerTooLarge extends IOException {
        final long read;

        AnswerTooLarge(long read) {
            super("answer above the size cap", null);
            this.read = read;
        }
    }

    /** A stream that fails (an {@link AnswerTooLarge}) once more than {@code cap} bytes were read from it. */
    private static InputStream capped(InputStream in, long cap) {
        if (in == null || cap == Long.MAX_VALUE) {
            return in;
        }
        return new java.io.FilterInputStream(in) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                count(Math.max(n, 0));
                return n;
            }

            private void count(int n) throws AnswerTooLarge {
                read += n;
                if (read > cap) {
                    throw new AnswerTooLarge(read);
                }
            }
        };
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
