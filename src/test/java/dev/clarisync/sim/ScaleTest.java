package dev.clarisync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;

import static dev.clarisync.sim.SimHttp.enc;
import static org.assertj.core.api.Assertions.assertThat;

/** 100,000 calls: starts quickly, answers a page in a few ms, and stays small. Generous bounds: not a benchmark. */
class ScaleTest {

    @Test
    void should_answer_pages_of_a_100k_call_simulator_quickly() {
        long started = System.nanoTime();
        try (ClariSimulator sim = ClariSimulator.start(SimulatorConfig.builder().callCount(100_000).build())) {
            long startupMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(startupMs).isLessThan(10_000);
            assertThat(sim.data().size()).isEqualTo(100_000);
            SimHttp http = new SimHttp(sim);

            String window = "/calls?limit=100&skip=10000&filterModifiedGt=" + enc(Instant.EPOCH)
                    + "&filterModifiedLt=" + enc(Instant.now().plusSeconds(60));
            for (int i = 0; i < 5; i++) { // warm-up
                http.get("/calls?limit=100&skip=" + i * 100);
                http.get(window);
            }
            long[] millis = new long[9];
            for (int i = 0; i < millis.length; i++) {
                long t = System.nanoTime();
                JsonNode page = http.get(i % 2 == 0 ? window : "/calls?limit=100&skip=" + (5000 + i)).json();
                millis[i] = (System.nanoTime() - t) / 1_000_000;
                assertThat(page.get("calls")).hasSize(100);
                assertThat(page.get("pagination").get("matched").asInt()).isEqualTo(100_000);
            }
            Arrays.sort(millis);
            assertThat(millis[millis.length / 2]).as("median ms of %s", Arrays.toString(millis)).isLessThan(50);
        }
    }
}
