package dev.clarisync.sim;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Same configuration, same data: calls, details and users. */
class DeterminismTest {
    static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant END = Instant.parse("2025-04-01T00:00:00Z");

    @Test
    void should_generate_identical_data_from_the_same_seed() {
        SimulatorConfig config = SimulatorConfig.builder().callCount(200).seed(99).span(START, END).build();
        try (ClariSimulator a = ClariSimulator.start(config); ClariSimulator b = ClariSimulator.start(config)) {
            List<String> ids = a.data().callIds();
            assertThat(b.data().callIds()).isEqualTo(ids);
            for (String id : ids) {
                assertThat(b.data().listItem(id)).isEqualTo(a.data().listItem(id));
                assertThat(b.data().details(id)).isEqualTo(a.data().details(id));
            }
            assertThat(b.data().users()).isEqualTo(a.data().users());
            SimHttp ha = new SimHttp(a);
            SimHttp hb = new SimHttp(b);
            assertThat(hb.get("/calls?limit=100&skip=50").body()).isEqualTo(ha.get("/calls?limit=100&skip=50").body());
            assertThat(hb.get("/users").body()).isEqualTo(ha.get("/users").body());
        }
    }

    @Test
    void should_generate_different_data_from_another_seed() {
        try (ClariSimulator a = ClariSimulator.start(SimulatorConfig.builder().callCount(50).seed(1).span(START, END).build());
             ClariSimulator b = ClariSimulator.start(SimulatorConfig.builder().callCount(50).seed(2).span(START, END).build())) {
            assertThat(b.data().callIds()).doesNotContainAnyElementsOf(a.data().callIds());
        }
    }

    @Test
    void should_keep_every_call_time_inside_the_span_except_scheduled_ones() {
        try (ClariSimulator sim = ClariSimulator.start(SimulatorConfig.builder().callCount(500).span(START, END).build())) {
            for (String id : sim.data().callIds()) {
                var item = sim.data().listItem(id);
                Instant time = Instant.parse(item.get("time").asText());
                Instant lmt = Instant.parse(item.get("last_modified_time").asText());
                assertThat(time).isAfterOrEqualTo(START);
                assertThat(lmt).isBeforeOrEqualTo(END);
                if (!item.get("status").asText().equals("SCHEDULED")) {
                    assertThat(time).isBeforeOrEqualTo(END);
                } else {
                    assertThat(time).isAfter(END);
                }
            }
        }
    }
}
