package dev.clarisync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated data has the documented shapes, and the variety a connector must cope with. */
class CallShapesTest {
    static final Set<String> LIST_FIELDS = Set.of("id", "source_id", "title", "status", "type", "time",
            "original_start_time", "last_modified_time", "icaluid", "calendar_id", "recurring_event_id",
            "disposition", "deal_name", "deal_value", "deal_stage_before_call", "deal_close_date", "account_name",
            "call_review_page_url", "audio_url", "video_url", "users", "externalParticipants", "joinedParticipants",
            "contact_names", "bookmark_timestamps", "bot_not_join_reason", "crm_info", "metrics");

    static ClariSimulator sim;
    static SimHttp http;
    static List<ObjectNode> calls;

    @BeforeAll
    static void start() {
        sim = ClariSimulator.start(SimulatorConfig.builder().callCount(600).seed(7).build());
        http = new SimHttp(sim);
        calls = sim.data().callIds().stream().map(sim.data()::listItem).collect(Collectors.toList());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void should_serve_list_items_with_documented_fields_and_no_nulls_but_media_urls() {
        for (ObjectNode c : calls) {
            Set<String> keys = new HashSet<>();
            c.fieldNames().forEachRemaining(keys::add);
            assertThat(LIST_FIELDS).containsAll(keys);
            c.fields().forEachRemaining(e -> {
                if (!e.getKey().endsWith("_url") || e.getKey().equals("call_review_page_url")) {
                    assertThat(e.getValue().isNull()).as(e.getKey()).isFalse();
                }
            });
            assertThat(c.get("audio_url").isNull()).isTrue();
            assertThat(c.get("video_url").isNull()).isTrue();
            assertThat(c.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            assertThat(c.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(c.get("last_modified_time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            if (c.has("deal_value")) {
                assertThat(c.get("deal_value").isTextual()).isTrue();
            }
            boolean finished = Set.of("POST_PROCESSING_DONE", "PROCESSED").contains(c.get("status").asText());
            assertThat(c.has("metrics")).isEqualTo(finished);
            if (!c.get("status").asText().equals("SCHEDULED")) {
                assertThat(Instant.parse(c.get("last_modified_time").asText()))
                        .isAfterOrEqualTo(Instant.parse(c.get("time").asText()));
            }
            assertThat(personIds(c)).doesNotHaveDuplicates();
        }
    }

    @Test
    void should_vary_optional_keys_statuses_and_hard_titles() {
        Map<String, Long> statuses = calls.stream().collect(Collectors.groupingBy(c -> c.get("status").asText(),
                Collectors.counting()));
        assertThat(statuses.get("POST_PROCESSING_DONE")).isBetween(420L, 540L);
        assertThat(statuses).containsKeys("PROCESSED", "SCHEDULED");
        assertThat(statuses.keySet()).hasSizeGreaterThan(6);
        assertThat(calls).anyMatch(c -> c.has("deal_name")).anyMatch(c -> !c.has("deal_name"));
        assertThat(calls).anyMatch(c -> c.has("crm_info")).anyMatch(c -> !c.has("crm_info"));
        assertThat(calls).anyMatch(c -> c.has("recurring_event_id"));
        assertThat(calls).anyMatch(c -> c.get("bot_not_join_reason").size() > 0);
        assertThat(calls.stream().flatMap(c -> stream(c.get("externalParticipants"))))
                .anyMatch(p -> !p.has("email")).anyMatch(p -> !p.has("name")).anyMatch(p -> p.has("phone"));
        Set<String> titles = calls.stream().filter(c -> c.has("title")).map(c -> c.get("title").asText())
                .collect(Collectors.toSet());
        assertThat(titles).anyMatch(t -> t.contains("'") && t.contains("DROP TABLE"))
                .anyMatch(t -> t.contains("\"")).anyMatch(t -> t.contains("\\")).anyMatch(t -> t.contains("\n"))
                .anyMatch(t -> t.codePoints().anyMatch(cp -> cp > 0xFFFF));
    }

    @Test
    void should_serve_details_with_every_list_field_and_resolvable_transcript_speakers() {
        int checkedFinished = 0;
        for (ObjectNode item : calls.subList(0, 120)) {
            String id = item.get("id").asText();
            JsonNode details = http.get("/call-details?id=" + id).json().get("call");
            item.fieldNames().forEachRemaining(k -> assertThat(details.get(k)).as(k).isEqualTo(item.get(k)));
            Set<Integer> people = new HashSet<>(personIds(item));
            JsonNode transcript = details.get("transcript");
            assertThat(transcript.isArray()).isTrue();
            assertThat(details.get("competitor_sentiments").isArray()).isTrue();
            if (item.has("deal_name")) {
                assertThat(details.get("deal_stage_live").isTextual()).isTrue();
            }
            if (!item.has("metrics")) {
                assertThat(transcript).isEmpty();
                assertThat(details.has("summary")).isFalse();
                continue;
            }
            checkedFinished++;
            assertThat(transcript.size()).isBetween(10, 80);
            double previousEnd = -1;
            for (JsonNode turn : transcript) {
                assertThat(turn.get("text").asText()).isNotEmpty();
                assertThat(turn.get("personId").isInt()).isTrue();
                assertThat(people).contains(turn.get("personId").asInt());
                assertThat(turn.get("start").asDouble()).isGreaterThanOrEqualTo(previousEnd);
                assertThat(turn.get("end").asDouble()).isGreaterThan(turn.get("start").asDouble());
                assertThat(turn.get("annotations").isArray()).isTrue();
                previousEnd = turn.get("end").asDouble();
            }
            JsonNode summary = details.get("summary");
            assertThat(summary.get("full_summary").asText()).isNotEmpty();
            assertThat(summary.get("key_takeaways").isTextual()).isTrue();
            assertThat(summary.get("topics_discussed").get(0).has("start_timestamp")).isTrue();
            assertThat(summary.get("key_action_items").get(0).has("action_item")).isTrue();
            for (JsonNode s : details.get("competitor_sentiments")) {
                assertThat(s.get("personId").isTextual()).isTrue();
                assertThat(people).contains(Integer.parseInt(s.get("personId").asText()));
                assertThat(s.get("turn_start_time").isNumber()).isTrue();
            }
        }
        assertThat(checkedFinished).isGreaterThan(50);
    }

    @Test
    void should_serve_users_as_a_manager_tree() {
        JsonNode users = http.get("/users").json().get("users");
        assertThat(users).hasSize(12);
        Map<String, JsonNode> byId = new HashMap<>();
        users.forEach(u -> byId.put(u.get("id").asText(), u));
        assertThat(stream(users).map(u -> u.get("role").asText()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("REP", "MANAGER", "OBSERVER");
        for (JsonNode u : users) {
            assertThat(u.get("is_recording").isBoolean()).isTrue();
            if (u.has("manager_id")) {
                assertThat(byId.get(u.get("manager_id").asText()).get("role").asText()).isEqualTo("MANAGER");
            }
        }
        assertThat(users).anyMatch(u -> u.get("role").asText().equals("MANAGER") && !u.has("manager_id"));
        assertThat(users).allMatch(u -> !u.has("manager_id") || !u.get("manager_id").isNull());
        Set<String> callUserIds = calls.stream().flatMap(c -> stream(c.get("users")))
                .map(u -> u.get("userId").asText()).collect(Collectors.toSet());
        assertThat(byId.keySet()).containsAll(callUserIds);
    }

    private static List<Integer> personIds(JsonNode call) {
        return java.util.stream.Stream.of("users", "externalParticipants", "joinedParticipants")
                .flatMap(k -> stream(call.get(k)))
                .filter(p -> p.has("personId"))
                .map(p -> p.get("personId").asInt())
                .collect(Collectors.toList());
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }
}
