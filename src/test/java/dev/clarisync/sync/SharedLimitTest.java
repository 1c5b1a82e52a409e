package dev.clarisync.sync;

import static dev.clarisync.sync.TwoAccountsTest.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.Launcher;
import dev.clarisync.LogCapture;
import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.RateLimitModel;
import dev.clarisync.sim.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limit groups (issue 24): three workspaces whose requests Clari counts against one limit. One simulator enforces one
 * strict sliding-second limit for all three workspaces' credentials; each workspace syncs its own schema of one DuckDB
 * file, all three at once. Declared in a group, or using the same credentials, they share one limiter and draw no
 * 429 storm; undeclared, they back off together after the first 429 episode. 429s are counted at the simulator.
 */
class SharedLimitTest {
    static final List<String> NAMES = List.of("north", "south", "west");
    /** The one limit the simulator enforces across the three workspaces, and each workspace's own setting. */
    static final int LIMIT = 20;

    @TempDir
    Path dir;

    record Run(int code, String out, String err, String log) {
    }

    ClariSimulator start() {
        ClariSimulator sim = ClariSimulator.start(SimulatorConfig.builder().callCount(40).rateLimitPerSecond(LIMIT)
                .rateLimitModel(RateLimitModel.SLIDING_WINDOW).apiKey("key-north").apiPassword("pw-north").build());
        sim.alsoAccept("key-south", "pw-south");
        sim.alsoAccept("key-west", "pw-west");
        return sim;
    }

    Run sync(ClariSimulator sim, boolean sameCredentials, String... extra) {
        Map<String, String> env = new HashMap<>();
        List<String> args = new ArrayList<>(List.of("sync", "--warehouse.url=jdbc:duckdb:" + dir.resolve("agency.duckdb"),
                "--clari.sync.start-date=2015-01-01", "--clari.api.rate-limit=" + LIMIT, "--clari.workspaces=" + String.join(",", NAMES),
                "--clari.workspaces.parallelism=3", "--clari.api.throttle-delay=PT2S", "--clari.api.throttle-pause=PT0.5S"));
        for (String name : NAMES) {
            String n = name.toUpperCase(java.util.Locale.ROOT);
            env.put("CLARI_WORKSPACE_" + n + "_API_KEY", sameCredentials ? "key-north" : "key-" + name);
            env.put("CLARI_WORKSPACE_" + n + "_API_PASSWORD", sameCredentials ? "pw-north" : "pw-" + name);
            args.add("--clari.workspace." + name + ".base-url=" + sim.baseUrl());
        }
        args.addAll(List.of(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (LogCapture logs = LogCapture.start()) {
            int code = Launcher.run(args.toArray(String[]::new), env, dir, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), logs.text());
        }
    }

    /** Every workspace's schema holds every call and every ready call's details. */
    void assertEachExact(ClariSimulator sim, Run r) throws Exception {
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        long ready = sim.data().callIds().stream()
                .filter(id -> StreamCatalog.READY.contains(sim.data().listItem(id).path("status").asText())).count();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("agency.duckdb"))) {
            for (String name : NAMES) {
                assertThat(scalar(c, "SELECT COUNT(*) FROM " + name + ".calls")).as(name).isEqualTo(sim.data().size());
                assertThat(scalar(c, "SELECT COUNT(*) FROM " + name + ".call_details")).as(name).isEqualTo(ready);
            }
        }
    }

    @Test
    void should_spend_one_declared_group_limit_across_three_workspaces_without_a_429_storm() throws Exception {
        try (ClariSimulator sim = start()) {
            List<String> group = NAMES.stream().map(n -> "--clari.workspace." + n + ".rate-limit-group=agency").toList();
            Run r = sync(sim, false, group.toArray(String[]::new));
            assertEachExact(sim, r);
            long total = sim.requests().total();
            assertThat(sim.requests().byKey()).containsOnlyKeys("key-north", "key-south", "key-west");
            // one limiter spaces all three: a 429 only from a thread woken late on a busy machine
            assertThat(sim.requests().tooManyRequests()).as("429s of %d requests", total).isLessThanOrEqualTo(3);
            assertThat(r.log()).contains("shares one limit of " + LIMIT + " requests/s").contains("rate-limit-group agency");
        }
    }

    @Test
    void should_share_one_limit_between_workspaces_with_the_same_credentials() throws Exception {
        try (ClariSimulator sim = start()) {
            Run r = sync(sim, true);
            assertEachExact(sim, r);
            assertThat(sim.requests().tooManyRequests()).as("429s of %d requests", sim.requests().total()).isLessThanOrEqualTo(3);
            assertThat(r.log()).contains("(the same credentials)");
        }
    }

    @Test
    void should_back_off_together_once_429s_show_an_undeclared_shared_limit() throws Exception {
        try (ClariSimulator sim = start()) {
            Run r = sync(sim, false);
            assertEachExact(sim, r);
            long total = sim.requests().total();
            // three limiters of 20/s against one 20/s: until the first episode joins them, up to a second of 429s;
            // each backing off alone would keep drawing them for the whole run
            assertThat(r.log()).contains("now share one limit of " + LIMIT + " requests/s");
            assertThat(sim.requests().tooManyRequests()).as("429s of %d requests", total).isLessThanOrEqualTo(total / 10);
            // the 429s to requests the others sent before the move belong to the episode that joined them: counted as
            // new episodes, three in a row meant the long pause (clari.api.throttle-delay, 2 min by default)
            assertThat(r.log()).doesNotContain("times in a row");
        }
    }
}
