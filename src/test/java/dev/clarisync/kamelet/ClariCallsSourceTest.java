package dev.clarisync.kamelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clarisync.LogCapture;
import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kamelet's bean on its own, against the simulator: the options a Kamelet user sets, and a poll that fails. */
class ClariCallsSourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void should_send_list_records_only_and_fetch_no_details_without_include_details(@TempDir Path dir) throws Exception {
        try (ClariSimulator sim = ClariSimulator.start(SimulatorConfig.builder().callCount(12).seed(3).build())) {
            ClariCallsSource source = source(sim, sim.config().apiPassword(), dir);
            source.setIncludeDetails(false);

            List<JsonNode> messages = parse(source.poll());

            assertThat(messages).extracting(m -> m.get("id").asText()).containsExactlyInAnyOrderElementsOf(sim.data().callIds());
            assertThat(messages).noneMatch(m -> m.has("details"));
            assertThat(sim.requests().count("/call-details")).isZero();
            assertThat(source.poll()).isEmpty();
        }
    }

    @Test
    void should_log_a_rejected_poll_without_the_secret_and_send_nothing(@TempDir Path dir) throws Exception {
        try (ClariSimulator sim = ClariSimulator.start(SimulatorConfig.builder().callCount(3).build());
             LogCapture logs = LogCapture.start()) {
            String wrong = "not-the-password-4711";
            ClariCallsSource source = source(sim, wrong, dir);

            assertThat(source.poll()).isEmpty();

            assertThat(logs.text()).contains("clari-copilot-source: sync failed (CREDENTIALS_REJECTED)")
                    .doesNotContain(wrong).doesNotContain(sim.config().apiKey());
        }
    }

    private static ClariCallsSource source(ClariSimulator sim, String password, Path dir) {
        ClariCallsSource source = new ClariCallsSource();
        source.setApiKey(sim.config().apiKey());
        source.setApiPassword(password);
        source.setBaseUrl(sim.baseUrl().toString());
        source.setStartDate("2015-01-01");
        source.setStateFile(dir.resolve("state.duckdb").toString());
        source.setRateLimit(100);
        return source;
    }

    private static List<JsonNode> parse(List<String> bodies) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String b : bodies) {
            out.add(JSON.readTree(b));
        }
        return out;
    }
}
