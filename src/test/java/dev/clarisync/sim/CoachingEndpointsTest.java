package dev.clarisync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.clarisync.sim.SimHttp.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** GET /scorecard, /scorecard-template and /v2/topics: shapes, paging, validation, filters and the test hooks. */
class CoachingEndpointsTest {
    static final Instant START = Instant.parse("2025-03-01T00:00:00Z");
    static final Instant END = Instant.parse("2025-06-01T00:00:00Z");
    /** The spec's offset style, {@code +0000}. */
    static final DateTimeFormatter SPEC_STYLE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);

    ClariSimulator sim;
    SimHttp http;

    @BeforeEach
    void start() {
        sim = ClariSimulator.start(SimulatorConfig.builder().callCount(400).span(START, END).build());
        http = new SimHttp(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    /** Every scorecard of a query, page by page, following nextPageSkip. */
    List<JsonNode> scan(String query, int limit) {
        List<JsonNode> all = new ArrayList<>();
        int skip = 0;
        while (true) {
            SimHttp.Resp r = http.get("/scorecard?limit=" + limit + "&skip=" + skip + (query.isEmpty() ? "" : "&" + query));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode page = r.json();
            page.get("scorecards").forEach(all::add);
            if (!page.get("pagination").get("hasMore").asBoolean()) {
                return all;
            }
            skip = page.get("pagination").get("nextPageSkip").asInt();
        }
    }

    static Set<String> ids(List<JsonNode> items, String key) {
        return items.stream().map(s -> s.get(key).asText()).collect(Collectors.toSet());
    }

    Instant callTime(JsonNode scorecard) {
        return Instant.parse(sim.data().listItem(scorecard.get("call_id").asText()).get("time").asText());
    }

    @Test
    void should_page_every_scorecard_exactly_once_newest_call_first() {
        List<ObjectNode> all = sim.coaching().scorecards();
        assertThat(all.size()).isBetween(60, 200);
        List<JsonNode> scanned = scan("", 37);
        assertThat(scanned.stream().map(s -> s.get("id").asText()).toList()).doesNotHaveDuplicates().hasSize(all.size());
        assertThat(new HashSet<>(scanned)).isEqualTo(new HashSet<JsonNode>(all));
        assertThat(scanned).isSortedAccordingTo(Comparator.<JsonNode, Instant>comparing(this::callTime).reversed()
                .thenComparing(s -> s.get("id").asText()));

        JsonNode first = http.get("/scorecard").json();
        assertThat(first.get("scorecards")).hasSize(CoachingQuery.DEFAULT_LIMIT);
        assertThat(first.get("pagination").get("matched").asInt()).isEqualTo(all.size());
        assertThat(first.get("pagination").get("nextPageSkip").asInt()).isEqualTo(50);
        JsonNode last = http.get("/scorecard?limit=100&skip=" + (all.size() - 3)).json();
        assertThat(last.get("scorecards")).hasSize(3);
        assertThat(last.get("pagination").get("hasMore").asBoolean()).isFalse();
        assertThat(last.get("pagination").has("nextPageSkip")).isFalse();
        assertThat(http.get("/scorecard?skip=10000").json().get("scorecards")).isEmpty();
    }

    @Test
    void scorecards_should_score_existing_calls_by_existing_users_on_listed_templates() {
        Map<String, JsonNode> templates = new HashMap<>();
        http.get("/scorecard-template").json().get("scoreCardTemplates").forEach(t -> templates.put(t.get("id").asText(), t));
        Set<String> userIds = sim.data().userRecords().stream().map(SimUser::id).collect(Collectors.toSet());
        int withoutRemark = 0;
        int withoutType = 0;
        int unanswered = 0;
        Set<String> remarks = new HashSet<>();
        for (ObjectNode s : sim.coaching().scorecards()) {
            ObjectNode call = sim.data().listItem(s.get("call_id").asText());
            assertThat(call).isNotNull();
            assertThat(call.get("status").asText()).isIn("POST_PROCESSING_DONE", "PROCESSED");
            assertThat(s.get("rep").asText()).isEqualTo(call.get("users").get(0).get("userId").asText());
            assertThat(userIds).contains(s.get("scorer").asText());
            assertThat(s.get("scorer").asText()).isNotEqualTo(s.get("rep").asText());
            JsonNode template = templates.get(s.get("template_id").asText());
            assertThat(template).isNotNull();
            JsonNode questions = s.get("questions_score");
            assertThat(questions).hasSize(template.get("questions").size());
            int sum = 0;
            int answered = 0;
            for (int i = 0; i < questions.size(); i++) {
                JsonNode q = questions.get(i);
                assertThat(q.get("skill")).isEqualTo(template.get("questions").get(i).get("skill"));
                assertThat(q.get("label")).isEqualTo(template.get("questions").get(i).get("label"));
                assertThat(q.get("order").isTextual()).isTrue();
                assertThat(q.get("order").asText()).isEqualTo(String.valueOf(i + 1));
                if (q.has("score")) {
                    assertThat(q.get("score").isInt()).isTrue();
                    assertThat(q.get("score").asInt()).isBetween(1, 5);
                    sum += q.get("score").asInt();
                    answered++;
                } else {
                    unanswered++;
                }
            }
            if (answered > 0) {
                assertThat(s.get("total_score").asDouble()).isCloseTo((double) sum / answered, within(0.005));
            }
            withoutRemark += s.has("remark") ? 0 : 1;
            withoutType += s.has("type") ? 0 : 1;
            if (s.has("remark")) {
                remarks.add(s.get("remark").asText());
            }
        }
        // sparse: keys are omitted, not null; remarks with quotes, newlines, markup and SQL
        assertThat(withoutRemark).isPositive();
        assertThat(withoutType).isPositive();
        assertThat(unanswered).isPositive();
        assertThat(remarks).anyMatch(r -> r.contains("\n")).anyMatch(r -> r.contains("\"")).anyMatch(r -> r.contains("<script>"))
                .anyMatch(r -> r.contains("DROP TABLE"));
        assertThat(sim.coaching().scorecards()).anyMatch(s -> s.get("total_score").isIntegralNumber())
                .anyMatch(s -> s.get("total_score").isDouble());
        assertThat(templates.values()).anyMatch(t -> !t.has("type")).allMatch(t -> t.get("customer_id").isTextual());
    }

    @Test
    void should_answer_400_to_malformed_or_out_of_range_parameters() {
        for (String query : List.of("skip=10001", "skip=-1", "skip=abc", "limit=0", "limit=101", "limit=2.5", "skip=",
                "filterTimeGt=yesterday", "filterTimeGt=2025-04-01", "filterTimeLt=2025-04-01T00:00:00",
                "filterTimeGt=2025-04-01T00:00:00+0000", // '+' not URL-encoded: arrives as a space
                "filterRepId=a&filterRepId=b", "filterScorerId=")) {
            SimHttp.Resp r = http.get("/scorecard?" + query);
            assertThat(r.status()).as(query).isEqualTo(400);
            assertThat(r.json().get("errorMessage").asText()).as(query).startsWith("Invalid value for ");
        }
        for (String query : List.of("filterModifiedGt=2020-13-01T00:00:00Z", "filterModifiedLt=2020-01-01T00:00:00+0000",
                "filterModifiedGt=now")) {
            assertThat(http.get("/v2/topics?" + query).status()).as(query).isEqualTo(400);
        }
        assertThat(http.get("/scorecard?skip=10000&limit=100").status()).isEqualTo(200);
        assertThat(http.get("/scorecard", null, null).status()).isEqualTo(401);
        assertThat(http.get("/v2/topics", "sim-key", "wrong").status()).isEqualTo(401);
        assertThat(http.get("/scorecard-template", null, null).status()).isEqualTo(401);
    }

    @Test
    void should_filter_by_rep_scorer_and_strictly_by_the_scored_calls_time() {
        List<ObjectNode> all = sim.coaching().scorecards();
        String rep = all.get(0).get("rep").asText();
        String scorer = all.get(0).get("scorer").asText();
        assertThat(ids(scan("filterRepId=" + rep, 100), "id")).isEqualTo(ids(all.stream()
                .filter(s -> s.get("rep").asText().equals(rep)).collect(Collectors.toList()), "id"));
        assertThat(ids(scan("filterScorerId=" + scorer + "&filterRepId=" + rep, 100), "id")).isEqualTo(ids(all.stream()
                .filter(s -> s.get("rep").asText().equals(rep) && s.get("scorer").asText().equals(scorer)).collect(Collectors.toList()), "id"));
        assertThat(scan("filterRepId=no-such-user", 100)).isEmpty();

        Instant t = callTime(all.get(5));
        Set<String> after = ids(scan("filterTimeGt=" + enc(SPEC_STYLE.format(t)), 100), "id");
        Set<String> before = ids(scan("filterTimeLt=" + enc(t.toString()), 100), "id");
        Set<String> at = ids(scan("filterTimeGt=" + enc(t.minusMillis(1).toString()) + "&filterTimeLt="
                + enc(SPEC_STYLE.format(t.plusMillis(1))), 100), "id");
        for (ObjectNode s : all) {
            Instant ct = callTime(s);
            String id = s.get("id").asText();
            assertThat(after.contains(id)).as(id).isEqualTo(ct.isAfter(t));
            assertThat(before.contains(id)).as(id).isEqualTo(ct.isBefore(t));
            assertThat(at.contains(id)).as(id).isEqualTo(ct.equals(t));
        }
        assertThat(at).contains(all.get(5).get("id").asText());
    }

    @Test
    void new_scorecards_should_appear_while_a_client_pages() {
        int before = sim.coaching().scorecards().size();
        List<String> added = new ArrayList<>();
        // just before the second page: five scorecards for the newest calls, which sort first
        sim.onRequest("/scorecard", 2, () -> added.addAll(sim.coaching().addScorecardsToRecentCalls(5)));
        JsonNode page1 = http.get("/scorecard?limit=20").json();
        JsonNode page2 = http.get("/scorecard?limit=20&skip=20").json();
        assertThat(added).hasSize(5);
        assertThat(page1.get("pagination").get("matched").asInt()).isEqualTo(before);
        assertThat(page2.get("pagination").get("matched").asInt()).isEqualTo(before + 5);
        // offsets shifted: the last five of page 1 are served again on page 2
        List<String> first = new ArrayList<>();
        page1.get("scorecards").forEach(s -> first.add(s.get("id").asText()));
        assertThat(page2.get("scorecards").get(0).get("id").asText()).isEqualTo(first.get(15));
        assertThat(ids(scan("", 100), "id")).containsAll(added).hasSize(before + 5);
    }

    /**
     * What a scorecards stream must do, against a simulator whose offset cap is tiny: split the call-time range until
     * each window fits under the cap, read every window page by page. Both filters are strict, so a window [lo, hi)
     * is asked for as {@code filterTimeGt=lo-1ms&filterTimeLt=hi}. Every scorecard arrives exactly once, including
     * three scored for the newest calls while the scan runs.
     */
    @Test
    void a_cap_split_scan_by_call_time_should_read_every_scorecard_once_even_when_new_ones_appear() {
        try (ClariSimulator capped = ClariSimulator.start(sim.config().toBuilder().maxSkip(30).build())) {
            SimHttp client = new SimHttp(capped);
            List<String> added = new ArrayList<>();
            capped.onRequest("/scorecard", 4, () -> added.addAll(capped.coaching().addScorecardsToRecentCalls(3)));
            List<String> seen = new ArrayList<>();
            List<Instant[]> todo = new ArrayList<>(List.<Instant[]>of(new Instant[] {START, END.plusSeconds(86_400)}));
            int windows = 0;
            while (!todo.isEmpty()) {
                Instant[] w = todo.remove(0);
                String filter = "filterTimeGt=" + enc(w[0].minusMillis(1)) + "&filterTimeLt=" + enc(w[1]);
                JsonNode first = client.get("/scorecard?limit=10&" + filter).json();
                if (first.get("pagination").get("matched").asInt() > 30 + 10) {
                    Instant mid = w[0].plusMillis(java.time.Duration.between(w[0], w[1]).toMillis() / 2);
                    todo.add(0, new Instant[] {mid, w[1]});
                    todo.add(0, new Instant[] {w[0], mid});
                    continue;
                }
                windows++;
                JsonNode page = first;
                while (true) {
                    page.get("scorecards").forEach(s -> seen.add(s.get("id").asText()));
                    if (!page.get("pagination").get("hasMore").asBoolean()) {
                        break;
                    }
                    page = client.get("/scorecard?limit=10&skip=" + page.get("pagination").get("nextPageSkip").asInt() + "&" + filter).json();
                }
            }
            assertThat(added).hasSize(3);
            assertThat(windows).isGreaterThan(3);
            assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(capped.coaching().scorecardIds());
            assertThat(client.get("/scorecard?skip=31").status()).isEqualTo(400);
        }
    }

    @Test
    void scorecard_edits_and_removals_should_show_in_the_next_answer() {
        String id = sim.coaching().scorecardIds().get(3);
        ObjectNode before = find(id);
        sim.coaching().editScorecard(id);
        ObjectNode after = find(id);
        assertThat(after).isNotEqualTo(before);
        for (String key : List.of("id", "rep", "scorer", "template_id", "call_id")) {
            assertThat(after.get(key)).isEqualTo(before.get(key));
        }
        sim.coaching().deleteScorecard(id);
        assertThat(ids(scan("", 100), "id")).doesNotContain(id).hasSize(sim.coaching().scorecardIds().size());
        String callId = sim.data().callIds().get(0);
        String fresh = sim.coaching().addScorecard(callId);
        assertThat(find(fresh).get("call_id").asText()).isEqualTo(callId);
    }

    ObjectNode find(String scorecardId) {
        return (ObjectNode) scan("", 100).stream().filter(s -> s.get("id").asText().equals(scorecardId)).findFirst().orElse(null);
    }

    @Test
    void templates_should_follow_additions_renames_and_removals() {
        JsonNode body = http.get("/scorecard-template").json();
        assertThat(body.fieldNames()).toIterable().containsExactly("scoreCardTemplates");
        List<String> ids = sim.coaching().templateIds();
        assertThat(body.get("scoreCardTemplates")).hasSize(3);
        sim.coaching().renameTemplate(ids.get(0), "Discovery \"v3\"\n– renamed");
        sim.coaching().deleteTemplate(ids.get(1));
        String added = sim.coaching().addTemplate("Renewal", List.<String[]>of(new String[] {"Retention", "Was the renewal date confirmed?"}));
        JsonNode now = http.get("/scorecard-template").json().get("scoreCardTemplates");
        assertThat(ids(toList(now), "id")).containsExactlyInAnyOrder(ids.get(0), ids.get(2), added);
        assertThat(toList(now).stream().filter(t -> t.get("id").asText().equals(ids.get(0))).findFirst().orElseThrow()
                .get("name").asText()).isEqualTo("Discovery \"v3\"\n– renamed");
    }

    @Test
    void topics_should_filter_on_modified_time_with_url_encoded_offsets_and_follow_edits() {
        JsonNode body = http.get("/v2/topics").json();
        assertThat(body.fieldNames()).toIterable().containsExactly("topics");
        List<JsonNode> topics = toList(body.get("topics"));
        assertThat(topics).hasSize(14);
        assertThat(topics).allMatch(t -> t.get("topic_id").isTextual() && t.get("team_ids").isArray())
                .anyMatch(t -> t.get("type").asText().equals("KEYWORD") && t.get("keyword_topic").get("trackers").size() > 0)
                .anyMatch(t -> t.get("type").asText().equals("CUSTOM") && t.get("custom_topic").get("description").isTextual())
                .anyMatch(t -> t.get("team_ids").isEmpty())
                .noneMatch(t -> t.has("modified") || t.has("last_modified_time"));

        String id = topics.get(2).get("topic_id").asText();
        Instant modified = sim.coaching().topicModified(id);
        String at = enc(SPEC_STYLE.format(modified));
        assertThat(ids(toList(http.get("/v2/topics?filterModifiedGt=" + enc(SPEC_STYLE.format(modified.minusMillis(1)))
                + "&filterModifiedLt=" + enc(SPEC_STYLE.format(modified.plusMillis(1)))).json().get("topics")), "topic_id")).contains(id);
        assertThat(ids(toList(http.get("/v2/topics?filterModifiedGt=" + at).json().get("topics")), "topic_id")).doesNotContain(id);

        Instant now = Instant.now().minusMillis(1);
        Instant edited = sim.coaching().editTopic(id, "Pricing & \"discounts\"");
        assertThat(edited).isAfter(modified);
        List<JsonNode> changed = toList(http.get("/v2/topics?filterModifiedGt=" + enc(SPEC_STYLE.format(now))).json().get("topics"));
        assertThat(ids(changed, "topic_id")).containsExactly(id);
        assertThat(changed.get(0).get("topic_name").asText()).isEqualTo("Pricing & \"discounts\"");

        String added = sim.coaching().addTopic("Pilot", "Talk of a <pilot> or trial");
        sim.coaching().deleteTopic(topics.get(0).get("topic_id").asText());
        Set<String> all = ids(toList(http.get("/v2/topics").json().get("topics")), "topic_id");
        assertThat(all).hasSize(14).contains(added).doesNotContain(topics.get(0).get("topic_id").asText());
        // a removal is invisible to a filtered read: only an unfiltered one notices
        assertThat(ids(toList(http.get("/v2/topics?filterModifiedGt=" + enc(SPEC_STYLE.format(now))).json().get("topics")), "topic_id"))
                .containsExactlyInAnyOrder(id, added);
    }

    @Test
    void injected_faults_and_limits_should_apply_to_the_new_endpoints_too() {
        sim.faults().enqueue("/v2/topics", Fault.tooManyRequests()).enqueue("/scorecard-template", Fault.serviceUnavailable())
                .enqueue("/scorecard", Fault.badGateway());
        // a queued fault matches by path prefix: a "/scorecard" fault queued before the template's would also catch
        // "/scorecard-template", so this test queues the template's first
        assertThat(http.get("/scorecard-template").status()).isEqualTo(503);
        assertThat(http.get("/v2/topics").status()).isEqualTo(429);
        assertThat(http.get("/scorecard?limit=1").status()).isEqualTo(502);
        assertThat(http.get("/scorecard?limit=1").status()).isEqualTo(200);
        assertThat(http.get("/v2/topics").status()).isEqualTo(200);
        assertThat(http.get("/scorecard-template").status()).isEqualTo(200);
        assertThat(sim.requests().count("/scorecard")).isEqualTo(2);
        assertThat(sim.requests().count("/v2/topics")).isEqualTo(2);
    }

    @Test
    void should_serve_the_same_coaching_objects_from_the_same_seed() {
        try (ClariSimulator twin = ClariSimulator.start(sim.config())) {
            SimHttp other = new SimHttp(twin);
            for (String path : List.of("/scorecard?limit=100&skip=20", "/scorecard-template", "/v2/topics")) {
                assertThat(other.get(path).body()).as(path).isEqualTo(http.get(path).body());
            }
        }
    }

    static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
