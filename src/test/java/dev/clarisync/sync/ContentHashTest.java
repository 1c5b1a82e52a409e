package dev.clarisync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContentHashTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The definition every stored version was computed with: SHA-256 of {@code toString()} in UTF-8, 16 bytes in hex. */
    static String byDefinition(JsonNode record) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(record.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    @Test
    void should_hash_exactly_as_the_records_json_text() throws Exception {
        String[] records = {
            "{}",
            "{\"id\":\"c1\",\"title\":\"Démo — Q3 ünd café\",\"n\":null,\"ok\":true,\"no\":false,\"a\":[],\"o\":{}}",
            "{\"emoji\":\"deal closed \\ud83c\\udf89 \\ud83d\\ude00!\",\"cjk\":\"会议记录\",\"rtl\":\"שלום\"}",
            "{\"ctl\":\"tab\\t nl\\n cr\\r bell\\u0007 nul\\u0000 quote\\\" back\\\\ slash/ del\\u007f ls\\u2028\"}",
            "{\"d\":[0.42,1.0,-0.0,1.0E10,1.0E-7,123456.789,3.141592653589793,1e308,4.9e-324],\"i\":[0,-1,9007199254740993]}",
            "{\"big\":123456789012345678901234567890,\"neg\":-123456789012345678901234567890,\"exp\":2.5E-3}",
            "{\"nested\":{\"deep\":[{\"x\":[[1,2],[\"a\",null]],\"y\":{\"z\":\"é\"}}]},\"id\":\"x\"}",
        };
        for (String r : records) {
            JsonNode node = JSON.readTree(r);
            assertThat(ContentHash.of(node)).as(r).isEqualTo(byDefinition(node));
        }
    }

    @Test
    void should_hash_lone_surrogates_as_their_replacement_like_before() throws Exception {
        for (String s : new String[] {"\ud83d", "a\ude00b", "end \ud83d", "\ude00\ud83d", "ok \ud83d\ude00 then \ud83d"}) {
            ObjectNode node = JSON.createObjectNode().put("text", s);
            assertThat(ContentHash.of(node)).as(s).isEqualTo(byDefinition(node));
        }
    }

    @Test
    void should_hash_random_text_as_its_json_text() throws Exception {
        Random random = new Random(13);
        for (int n = 0; n < 2000; n++) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(40); i > 0; i--) {
                int kind = random.nextInt(5);
                s.append(switch (kind) {
                    case 0 -> (char) random.nextInt(0x80);
                    case 1 -> (char) (0x80 + random.nextInt(0x780));
                    case 2 -> (char) (0x800 + random.nextInt(0xD000));
                    case 3 -> new String(Character.toChars(0x10000 + random.nextInt(0xFFFFF)));
                    default -> (char) (0xD800 + random.nextInt(0x800)); // a lone surrogate, sometimes
                });
            }
            ObjectNode node = JSON.createObjectNode().put("text", s.toString()).put("x", random.nextDouble() * 1e6);
            assertThat(ContentHash.of(node)).isEqualTo(byDefinition(node));
        }
    }

    @Test
    void should_fingerprint_an_answer_by_its_bytes_and_its_context() {
        byte[] a = "{\"call\":{\"id\":\"c1\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] b = "{\"call\":{\"id\":\"c2\"}}".getBytes(StandardCharsets.UTF_8);
        assertThat(ContentHash.ofAnswer(a, "{u1=Ann}")).isEqualTo(ContentHash.ofAnswer(a.clone(), "{u1=Ann}")).hasSize(32);
        assertThat(ContentHash.ofAnswer(a, "{u1=Ann}")).isNotEqualTo(ContentHash.ofAnswer(b, "{u1=Ann}"))
                .isNotEqualTo(ContentHash.ofAnswer(a, "{u1=Anne}"));
    }
}
