package dev.clarisync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulator's answer modes over loopback HTTP: captured shapes and spec-valid random answers. */
class AnswerModesTest {

    @Test
    void should_answer_the_first_page_in_the_captured_shapes() {
        try (ClariSimulator sim = ClariSimulator.start(SimulatorConfig.builder().callCount(150).build())) {
            sim.shapeAnswers(new CapturedShapes());
            SimHttp http = new SimHttp(sim);
            JsonNode first = http.get("/calls?limit=100&skip=0").json();
            assertThat(first.get("calls")).hasSize(100);
            for (JsonNode call : first.get("calls")) {
                assertThat(call.get("audio_url").isNull()).isTrue();
                assertThat(call.get("video_url").isNull()).isTrue();
                assertThat(call.get("externalParticipants")).isEmpty();
                assertThat(call.get("joinedParticipants")).isEmpty();
                JsonNode ratio = call.path("metrics").path("talk_listen_ratio");
                if (!ratio.isMissingNode()) {
                    assertThat(ratio.isInt()).as(ratio.toString()).isTrue();
                    assertThat(ratio.intValue()).isBetween(0, 1);
                    assertThat(call.path("metrics").path("categories")).isEmpty();
                }
                call.path("users").forEach(u -> assertThat(u.get("personId").intValue()).isZero());
            }
            JsonNode second = http.get("/calls?limit=100&skip=100").json();
            assertThat(second.get("calls")).anySatisfy(c -> assertThat(c.get("externalParticipants")).isNotEmpty());
        }
    }

    @Test
    void should_answer_spec_valid_random_data_and_record_out_of_bounds_requests() {
        try (ClariSimulator sim = ClariSimulator.start(SimulatorConfig.builder().callCount(0).build())) {
            RandomAnswers random = new RandomAnswers(7, sim.config().start(), sim.config().end());
            sim.shapeAnswers(random);
            SimHttp http = new SimHttp(sim);
            for (int i = 0; i < 20; i++) {
                JsonNode page = http.get("/calls?limit=50&skip=0").json();
                assertThat(page.get("calls").size()).isBetween(0, 50);
                page.get("calls").forEach(c -> assertThat(c.get("id").isTextual()).isTrue());
                JsonNode p = page.path("pagination");
                if (p.has("matched")) {
                    assertThat(p.get("matched").isIntegralNumber()).isTrue();
                }
                if (p.has("nextPageSkip")) {
                    assertThat(p.get("nextPageSkip").isInt()).isTrue();
                }
            }
            assertThat(http.get("/call-details?id=abc").json().path("call").path("id").isTextual()).isTrue();
            assertThat(random.detailsAnsweredAbout()).containsKey("abc");
            assertThat(random.outOfBoundsRequests()).isEmpty();
            assertThat(http.get("/calls?limit=101&skip=-1").status()).isEqualTo(400);
            assertThat(random.outOfBoundsRequests()).containsExactlyInAnyOrder("skip=-1", "limit=101");
        }
    }

    @Test
    void should_take_the_answer_mode_on_the_command_line() {
        assertThat(SimulatorMain.parse(new String[] {"--answers=random"}).answers()).isEqualTo("random");
        assertThat(SimulatorMain.parse(new String[0]).answers()).isEqualTo("generated");
        assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--answers=chaos"})).hasMessageContaining("--answers");
    }
}
