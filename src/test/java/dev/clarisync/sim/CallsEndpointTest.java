package dev.clarisync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.clarisync.sim.SimHttp.enc;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /calls: paging, pagination object, validation, filters and order. Read-only, so one simulator. */
class CallsEndpointTest {
    static final Instant START = Instant.parse("2025-03-01T00:00:00Z");
    static final Instant END = Instant.parse("2025-06-01T00:00:00Z");

    static ClariSimulator sim;
    static SimHttp http;
    static List<ObjectNode> all;

    @BeforeAll
    static void start() {
        sim = ClariSimulator.start(SimulatorConfig.builder().callCount(300).span(START, END).build());
        http = new SimHttp(sim);
        all = sim.data().callIds().stream().map(sim.data()::listItem).collect(Collectors.toList());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static Instant instant(JsonNode call, String field) {
        return Instant.parse(call.get(field).asText());
    }

    @Test
    void should_return_every_call_exactly_once_when_paging_with_skip_and_limit() {
        List<JsonNode> scanned = http.scan("", 37);

        List<String> ids = scanned.stream().map(c -> c.get("id").asText()).collect(Collectors.toList());
        assertThat(ids).doesNotHaveDuplicates().hasSize(300);
        assertThat(new HashSet<>(ids)).isEqualTo(new HashSet<>(sim.data().callIds()));
        assertThat(scanned).isEqualTo(all.stream()
                .sorted(Comparator.<JsonNode, Instant>comparing(c -> instant(c, "time")).reversed()
                        .thenComparing(c -> c.get("id").asText()))
                .collect(Collectors.toList()));
    }

    @Test
    void should_report_matched_hasMore_and_nextPageSkip_on_middle_and_last_pages() {
        JsonNode middle = http.get("/calls?skip=100&limit=50").json();
        assertThat(middle.get("calls")).hasSize(50);
        assertThat(middle.get("pagination").get("matched").asInt()).isEqualTo(300);
        assertThat(middle.get("pagination").get("hasMore").asBoolean()).isTrue();
        assertThat(middle.get("pagination").get("nextPageSkip").asInt()).isEqualTo(150);

        JsonNode last = http.get("/calls?skip=280&limit=50").json();
        assertThat(last.get("calls")).hasSize(20);
        assertThat(last.get("pagination").get("hasMore").asBoolean()).isFalse();
        assertThat(last.get("pagination").has("nextPageSkip")).isFalse();

        JsonNode beyond = http.get("/calls?skip=400").json();
        assertThat(beyond.get("calls")).isEmpty();
        assertThat(beyond.get("pagination").get("matched").asInt()).isEqualTo(300);
        assertThat(beyond.get("pagination").get("hasMore").asBoolean()).isFalse();
    }

    @Test
    void should_default_to_25_calls_and_drop_pagination_when_asked() {
        assertThat(http.get("/calls").json().get("calls")).hasSize(25);
        JsonNode noPaging = http.get("/calls?includePagination=false&limit=10").json();
        assertThat(noPaging.has("pagination")).isFalse();
        assertThat(noPaging.get("calls")).hasSize(10);
    }

    @Test
    void should_reject_out_of_range_skip_and_limit_with_400() {
        SimHttp.Resp skip = http.get("/calls?skip=10001");
        assertThat(skip.status()).isEqualTo(400);
        assertThat(skip.json().get("errorMessage").asText()).contains("skip").contains("10000");

        SimHttp.Resp limit = http.get("/calls?limit=101");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().get("errorMessage").asText()).contains("limit").contains("100");

        assertThat(http.get("/calls?skip=10000").status()).isEqualTo(200);
        assertThat(http.get("/calls?limit=100").status()).isEqualTo(200);
        assertThat(http.get("/calls?skip=-1").status()).isEqualTo(400);
        assertThat(http.get("/calls?limit=0").status()).isEqualTo(400);
        assertThat(http.get("/calls?limit=ten").status()).isEqualTo(400);
        assertThat(http.get("/calls?filterModifiedGt=yesterday").status()).isEqualTo(400);
        assertThat(http.get("/calls?sortTime=up").status()).isEqualTo(400);
        assertThat(http.get("/calls?includePrivate=yes").status()).isEqualTo(400);
    }

    @Test
    void should_treat_filterModified_bounds_as_strict() {
        ObjectNode call = all.get(137);
        Instant lmt = instant(call, "last_modified_time");
        String id = call.get("id").asText();

        assertThat(ids("filterModifiedGt=" + enc(lmt))).doesNotContain(id);
        assertThat(ids("filterModifiedGt=" + enc(lmt.minusMillis(1)))).contains(id);
        assertThat(ids("filterModifiedLt=" + enc(lmt))).doesNotContain(id);
        assertThat(ids("filterModifiedLt=" + enc(lmt.plusMillis(1)))).contains(id);

        Instant from = START.plusSeconds(86_400 * 20);
        Instant to = START.plusSeconds(86_400 * 40);
        Set<String> expected = all.stream()
                .filter(c -> instant(c, "last_modified_time").isAfter(from) && instant(c, "last_modified_time").isBefore(to))
                .map(c -> c.get("id").asText()).collect(Collectors.toSet());
        assertThat(expected).isNotEmpty();
        assertThat(ids("filterModifiedGt=" + enc(from) + "&filterModifiedLt=" + enc(to))).isEqualTo(expected);
    }

    @Test
    void should_filter_on_time_with_strict_bounds() {
        Instant from = START.plusSeconds(86_400 * 10);
        Instant to = START.plusSeconds(86_400 * 12);
        Set<String> expected = all.stream()
                .filter(c -> instant(c, "time").isAfter(from) && instant(c, "time").isBefore(to))
                .map(c -> c.get("id").asText()).collect(Collectors.toSet());
        assertThat(expected).isNotEmpty();
        assertThat(ids("filterTimeGt=" + enc(from) + "&filterTimeLt=" + enc(to))).isEqualTo(expected);
    }

    @Test
    void should_accept_repeated_filterStatus_keys_as_alternatives() {
        Set<String> expected = all.stream()
                .filter(c -> Set.of("SCHEDULED", "PROCESSED").contains(c.get("status").asText()))
                .map(c -> c.get("id").asText()).collect(Collectors.toSet());
        assertThat(expected).isNotEmpty();
        assertThat(ids("filterStatus=SCHEDULED&filterStatus=PROCESSED")).isEqualTo(expected);
        assertThat(ids("filterStatus=NO_SUCH_STATUS")).isEmpty();
    }

    @Test
    void should_filter_by_user_id_or_email_and_by_type() {
        SimUser user = sim.data().userRecords().get(3);
        Set<String> expected = all.stream()
                .filter(c -> c.get("users").findValuesAsText("userId").contains(user.id()))
                .map(c -> c.get("id").asText()).collect(Collectors.toSet());
        assertThat(expected).isNotEmpty();
        assertThat(ids("filterUser=" + user.id())).isEqualTo(expected);
        assertThat(ids("filterUser=" + enc(user.email()))).isEqualTo(expected);

        Set<String> zoom = all.stream().filter(c -> c.get("type").asText().equals("ZOOM"))
                .map(c -> c.get("id").asText()).collect(Collectors.toSet());
        assertThat(ids("filterType=ZOOM")).isEqualTo(zoom);
    }

    @Test
    void should_sort_by_time_ascending_on_request() {
        List<JsonNode> asc = http.scan("sortTime=asc", 100);
        assertThat(asc).hasSize(300);
        assertThat(asc).isSortedAccordingTo(Comparator.comparing(c -> instant(c, "time")));
        List<JsonNode> processed = http.scan("sortProcessed=desc", 100);
        assertThat(processed).hasSize(300);
    }

    private static Set<String> ids(String query) {
        return http.scan(query, 100).stream().map(c -> c.get("id").asText()).collect(Collectors.toSet());
    }

    @Test
    void should_hide_private_calls_unless_includePrivate_is_true() {
        try (ClariSimulator withPrivate = ClariSimulator.start(SimulatorConfig.builder().callCount(200)
                .privateCallRate(0.2).span(START, END).build())) {
            SimHttp client = new SimHttp(withPrivate);
            int visible = client.scan("", 100).size();
            assertThat(visible).isBetween(120, 190);
            assertThat(client.scan("includePrivate=false", 100)).hasSize(visible);
            assertThat(client.scan("includePrivate=true", 100)).hasSize(200);
        }
    }
}
