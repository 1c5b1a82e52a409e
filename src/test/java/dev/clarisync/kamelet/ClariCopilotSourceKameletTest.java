package dev.clarisync.kamelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clarisync.sim.CallStatus;
import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The Kamelet as a {@code camel run} user meets it: Camel Main loads the real example route
 * ({@code examples/clari-to-log.camel.yaml}), which finds {@code clari-copilot-source} on the classpath under
 * {@code kamelets/} (the copy packaged with the jar), against the bundled simulator and a DuckDB state file. The log
 * sink is replaced by a mock. The Kamelet polls every 200 ms; after a change the test waits for two polls to end, so
 * at least one whole poll began after it, and checks that exactly the expected messages came.
 */
class ClariCopilotSourceKameletTest extends CamelMainTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ClariSimulator SIM = ClariSimulator.start(SimulatorConfig.builder().callCount(24).seed(27).build());
    private static final Path STATE = tempState();

    @AfterAll
    static void stopSimulator() {
        SIM.close();
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.withRoutesIncludePattern("file:examples/clari-to-log.camel.yaml");
    }

    @Override
    public void configureContext(CamelContextConfiguration context) {
        super.configureContext(context);
        Properties p = new Properties();
        p.put("clari.api.key", SIM.config().apiKey());
        p.put("clari.api.password", SIM.config().apiPassword());
        p.put("clari.api.base-url", SIM.baseUrl().toString());
        p.put("clari.sync.start-date", "2015-01-01");
        p.put("clari.period", "200");
        p.put("clari.state-file", STATE.toString());
        context.withUseOverridePropertiesWithPropertiesComponent(p);
        context.withMockEndpointsAndSkip("log:*");
    }

    @Test
    void should_send_every_call_then_only_the_changed_ones() throws Exception {
        MockEndpoint sink = getMockEndpoint("mock:log:clari-calls");
        sink.expectedMinimumMessageCount(SIM.data().size());
        sink.assertIsSatisfied(120_000);
        awaitTwoPolls();

        List<JsonNode> first = bodies(sink);
        assertThat(first).extracting(m -> m.get("id").asText()).containsExactlyInAnyOrderElementsOf(SIM.data().callIds());
        assertThat(sink.getExchanges()).allSatisfy(e -> assertThat(e.getMessage().getHeader("Content-Type")).isEqualTo("application/json"));
        // a processed call carries its details; one still being processed has none yet
        List<String> ready = SIM.data().callIds().stream()
                .filter(id -> Set.of("POST_PROCESSING_DONE", "PROCESSED").contains(SIM.data().status(id).name())).toList();
        assertThat(ready).isNotEmpty();
        for (JsonNode m : first) {
            String id = m.get("id").asText();
            if (m.has("details")) {
                assertThat(m.get("details").get("id").asText()).isEqualTo(id);
            }
            assertThat(m.has("details")).as("details of %s (%s)", id, SIM.data().status(id)).isEqualTo(ready.contains(id) && hasDetails(id));
        }

        // nothing changed: a poll sends nothing
        awaitTwoPolls();
        assertThat(sink.getReceivedCounter()).isEqualTo(first.size());

        // one call touched (a new version of its list record), one that Clari has now processed (its details come)
        String touched = ready.get(0);
        String processed = SIM.data().callIds().stream().filter(id -> !ready.contains(id)).findFirst().orElseThrow();
        SIM.data().touch(touched);
        SIM.data().changeStatus(processed, CallStatus.POST_PROCESSING_DONE);

        awaitTwoPolls();

        List<JsonNode> all = bodies(sink);
        List<JsonNode> second = all.subList(first.size(), all.size());
        assertThat(second).extracting(m -> m.get("id").asText()).containsExactlyInAnyOrder(touched, processed);
        JsonNode now = second.stream().filter(m -> m.get("id").asText().equals(processed)).findFirst().orElseThrow();
        assertThat(now.get("status").asText()).isEqualTo("POST_PROCESSING_DONE");
        assertThat(now.get("details").get("id").asText()).isEqualTo(processed);
        // the state survives the poll's end: the file holds the cursor and what was sent
        assertThat(STATE).isRegularFile();
    }

    private boolean hasDetails(String id) {
        return SIM.data().details(id) != null;
    }

    /** Waits until two polls have ended (each with every message it sent): at least one of them began after this call. */
    private void awaitTwoPolls() {
        Route route = context.getRoutes().stream().filter(r -> r.getEndpoint().getEndpointUri().startsWith("timer:"))
                .findFirst().orElseThrow();
        NotifyBuilder done = new NotifyBuilder(context).fromRoute(route.getRouteId())
                .filter(e -> e.getProperty(Exchange.SPLIT_INDEX) == null).whenDone(2).create();
        assertThat(done.matches(120, TimeUnit.SECONDS)).as("two polls of the Kamelet end").isTrue();
    }

    private static List<JsonNode> bodies(MockEndpoint sink) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (Exchange e : sink.getExchanges()) {
            out.add(JSON.readTree(e.getMessage().getBody(String.class)));
        }
        return out;
    }

    private static Path tempState() {
        try {
            return Files.createTempDirectory("kamelet-state").resolve("clari-copilot-source.duckdb");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
