package dev.clarisync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.clarisync.sim.SimHttp.enc;
import static org.assertj.core.api.Assertions.assertThat;

/** Test hooks that change the data while a client reads it. A fresh simulator per test. */
class DataHooksTest {
    ClariSimulator sim;
    SimHttp http;

    @BeforeEach
    void start() {
        sim = ClariSimulator.start(SimulatorConfig.builder().callCount(300).build());
        http = new SimHttp(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private String firstWithStatus(String status) {
        return sim.data().callIds().stream()
                .filter(id -> sim.data().listItem(id).get("status").asText().equals(status))
                .findFirst().orElseThrow();
    }

    private Set<String> window(Instant gt, Instant lt) {
        return http.scan("filterModifiedGt=" + enc(gt) + "&filterModifiedLt=" + enc(lt), 100).stream()
                .map(c -> c.get("id").asText()).collect(Collectors.toSet());
    }

    @Test
    void should_move_last_modified_time_on_status_change_so_the_call_leaves_an_older_window() {
        String id = firstWithStatus("SCHEDULED");
        Instant before = sim.data().lastModified(id);
        assertThat(sim.data().details(id).get("transcript")).isEmpty();
        assertThat(window(before.minusMillis(1), before.plusMillis(1))).contains(id);

        Instant after = sim.data().changeStatus(id, CallStatus.POST_PROCESSING_DONE);

        assertThat(after).isAfter(before);
        assertThat(Instant.parse(sim.data().listItem(id).get("last_modified_time").asText())).isEqualTo(after);
        assertThat(window(before.minusMillis(1), before.plusMillis(1))).doesNotContain(id);
        assertThat(window(before, Instant.now().plusSeconds(1))).contains(id);
        JsonNode listed = http.get("/calls?filterStatus=POST_PROCESSING_DONE&filterModifiedGt=" + enc(before)
                + "&limit=100").json().get("calls");
        assertThat(listed.findValuesAsText("id")).contains(id);
        assertThat(sim.data().listItem(id).has("metrics")).isTrue();
        assertThat(sim.data().details(id).get("transcript").size()).isBetween(10, 80);
    }

    @Test
    void should_make_every_modification_strictly_later_than_the_previous_one() {
        String id = sim.data().callIds().get(10);
        Instant a = sim.data().touch(id);
        Instant b = sim.data().touch(id);
        Instant c = sim.data().changeStatus(id, "PROCESSED");
        assertThat(b).isAfter(a);
        assertThat(c).isAfter(b);
        assertThat(Instant.parse(sim.data().listItem(id).get("last_modified_time").asText())).isEqualTo(c);
    }

    @Test
    void should_change_details_but_not_last_modified_time_when_the_summary_is_revised() {
        String id = firstWithStatus("POST_PROCESSING_DONE");
        ObjectNode listBefore = sim.data().listItem(id);
        JsonNode detailsBefore = http.get("/call-details?id=" + id).json().get("call");

        sim.data().reviseSummary(id);

        JsonNode detailsAfter = http.get("/call-details?id=" + id).json().get("call");
        assertThat(detailsAfter.get("summary")).isNotEqualTo(detailsBefore.get("summary"));
        assertThat(detailsAfter.get("transcript")).isEqualTo(detailsBefore.get("transcript"));
        assertThat(detailsAfter.get("last_modified_time")).isEqualTo(detailsBefore.get("last_modified_time"));
        assertThat(sim.data().listItem(id)).isEqualTo(listBefore);
    }

    @Test
    void should_show_an_unknown_new_field_on_one_call_or_on_all() {
        String id = sim.data().callIds().get(3);
        String other = sim.data().callIds().get(4);
        ObjectNode nested = JsonNodeFactory.instance.objectNode().put("score", 0.9);
        sim.data().setExtraField(id, "sentiment_v2", nested);

        assertThat(http.get("/call-details?id=" + id).json().get("call").get("sentiment_v2")).isEqualTo(nested);
        assertThat(sim.data().listItem(id).get("sentiment_v2")).isEqualTo(nested);
        assertThat(sim.data().listItem(other).has("sentiment_v2")).isFalse();

        sim.data().setExtraField(SimulatorData.ALL, "language", TextNode.valueOf("en"));
        assertThat(http.scan("", 100)).allMatch(c -> c.get("language").asText().equals("en"));
        assertThat(sim.data().details(other).get("language")).isEqualTo(TextNode.valueOf("en"));

        List<String> added = sim.data().addCalls(1);
        assertThat(sim.data().listItem(added.get(0)).get("language").asText()).isEqualTo("en");
    }

    @Test
    void should_remove_deleted_calls_from_list_and_details() {
        String id = sim.data().callIds().get(42);
        sim.data().delete(id);

        assertThat(sim.data().size()).isEqualTo(299);
        assertThat(sim.data().callIds()).doesNotContain(id);
        assertThat(http.scan("", 100)).hasSize(299).noneMatch(c -> c.get("id").asText().equals(id));
        assertThat(http.get("/call-details?id=" + id).status()).isEqualTo(404);
        assertThat(sim.data().listItem(id)).isNull();
    }

    @Test
    void should_keep_listing_a_call_whose_details_are_missing() {
        String id = sim.data().callIds().get(7);
        sim.data().detailsMissing(id);

        assertThat(http.scan("", 100)).anyMatch(c -> c.get("id").asText().equals(id));
        SimHttp.Resp details = http.get("/call-details?id=" + id);
        assertThat(details.status()).isEqualTo(404);
        assertThat(details.json().get("errorMessage").asText()).isEqualTo("Call not found");
    }

    @Test
    void should_add_new_calls_modified_now() {
        Instant before = Instant.now().minusMillis(1);
        List<String> ids = sim.data().addCalls(5);

        assertThat(ids).hasSize(5).doesNotHaveDuplicates().doesNotContainAnyElementsOf(
                sim.data().callIds().subList(0, 300));
        assertThat(sim.data().size()).isEqualTo(305);
        assertThat(window(before, Instant.now().plusSeconds(1))).containsAll(ids);
        JsonNode page = http.get("/calls?limit=1").json();
        assertThat(page.get("pagination").get("matched").asInt()).isEqualTo(305);
    }

    @Test
    void should_run_an_action_when_the_nth_calls_request_arrives_before_answering_it() {
        String id = firstWithStatus("POST_PROCESSING_DONE");
        String time = sim.data().listItem(id).get("time").asText();
        String query = "/calls?limit=100&filterTimeGt=" + enc(Instant.parse(time).minusMillis(1))
                + "&filterTimeLt=" + enc(Instant.parse(time).plusMillis(1));
        sim.onCallsRequest(2, () -> sim.data().changeStatus(id, CallStatus.ERROR_IN_PROCESSING));

        assertThat(statusOf(http.get(query).json(), id)).isEqualTo("POST_PROCESSING_DONE");
        http.get("/users"); // other paths do not count
        assertThat(statusOf(http.get(query).json(), id)).isEqualTo("ERROR_IN_PROCESSING");
    }

    private static String statusOf(JsonNode page, String id) {
        for (JsonNode c : page.get("calls")) {
            if (c.get("id").asText().equals(id)) {
                return c.get("status").asText();
            }
        }
        throw new AssertionError(id + " not on page");
    }

    @Test
    void should_stay_consistent_while_calls_change_under_concurrent_requests() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                int bad = 0;
                for (int i = 0; i < 40; i++) {
                    String path = thread % 2 == 0 ? "/calls?limit=100&skip=" + (i * 7 % 250)
                            : "/call-details?id=" + sim.data().callIds().get(i);
                    bad += http.get(path).status() == 200 ? 0 : 1;
                }
                return bad;
            }));
        }
        List<String> ids = sim.data().callIds();
        for (int i = 0; i < 200; i++) {
            String id = ids.get(100 + i % 150);
            switch (i % 4) {
                case 0 -> sim.data().changeStatus(id, CallStatus.values()[i % CallStatus.values().length]);
                case 1 -> sim.data().touch(id);
                case 2 -> sim.data().reviseSummary(id);
                default -> sim.data().setExtraField(id, "n", IntNode.valueOf(i));
            }
        }
        sim.data().addCalls(20);
        for (Future<Integer> f : results) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isZero();
        }
        pool.shutdown();
        assertThat(http.scan("", 100)).hasSize(320);
    }
}
