package dev.clarisync.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clarisync.routes.ExchangeProperties;
import java.nio.charset.StandardCharsets;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The answer bytes a per-parent fetch fingerprints its record from: kept only for a whole, well-formed answer. */
class ApiResponsesTest {
    private final CamelContext camel = new DefaultCamelContext();
    private final ApiResponses responses = new ApiResponses(new ObjectMapper());

    private Exchange answer(String json, boolean perParent) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        e.getMessage().setBody(json.getBytes(StandardCharsets.UTF_8));
        if (perParent) {
            ApiCall.notFoundIsAnswer(e);
        }
        return e;
    }

    @Test
    void should_keep_the_bytes_of_a_per_parent_answer_only() throws Exception {
        String json = "{\"call\":{\"id\":\"c1\",\"title\":\"Démo\"}}";
        Exchange details = answer(json, true);
        assertThat(responses.parse(details).path("call").path("id").asText()).isEqualTo("c1");
        assertThat(details.getProperty(ExchangeProperties.ANSWER_BYTES, byte[].class)).isEqualTo(json.getBytes(StandardCharsets.UTF_8));

        Exchange page = answer("{\"calls\":[]}", false);
        responses.parse(page);
        assertThat(page.getProperty(ExchangeProperties.ANSWER_BYTES)).isNull();
    }

    @Test
    void should_not_keep_an_earlier_attempts_bytes_when_the_retry_is_malformed() throws Exception {
        Exchange e = answer("{\"call\":{\"id\":\"c1\"}}", true);
        responses.parse(e);
        e.getMessage().setBody("{\"call\":".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> responses.parse(e)).isInstanceOf(MalformedResponseException.class);
        assertThat(e.getProperty(ExchangeProperties.ANSWER_BYTES)).isNull();
    }

    @Test
    void should_call_bytes_that_are_not_utf8_unreadable_and_keep_their_text() {
        byte[] bytes = "{\"call\":{\"id\":\"c1\",\"title\":\"X\"}}".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 4] = (byte) 0xC3; // 'X' becomes the start of a two-byte sequence that '"' cannot continue
        Exchange e = answer("{}", true);
        e.getMessage().setBody(bytes);
        assertThatThrownBy(() -> responses.parse(e)).isInstanceOf(UnreadableAnswerException.class)
                .hasMessageContaining("not UTF-8")
                .satisfies(t -> assertThat(((UnreadableAnswerException) t).answer()).contains("\"id\":\"c1\"").contains("\uFFFD"));
        // never retried, unlike a malformed body
        assertThat(new RetryPolicy(3, java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(1),
                (x, d) -> { }).decide(new UnreadableAnswerException("x", null), 0).retry()).isFalse();
    }
}
