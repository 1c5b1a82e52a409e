package dev.clarisync.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.SyncHarness;
import dev.clarisync.cli.ExitCodes;
import dev.clarisync.sim.SimulatorConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Clari request goes through the configured forward proxy (issue 24, item 3): a real proxy on loopback
 * ({@link ForwardProxy}) between the connector and the simulator, named by {@code clari.api.proxy} or by the standard
 * variables (a fake environment, never the process's), bypassed by {@code NO_PROXY}; a proxy that wants credentials
 * or does not answer ends the run with one line naming it, and never prints the proxy's password.
 */
class ProxySyncTest {
    private static final String PROXY_PASSWORD = "pr0xy-S3cret-4471";

    @TempDir
    Path dir;

    private static SimulatorConfig small() {
        return SimulatorConfig.builder().callCount(40).build();
    }

    private static Map<String, String> env(SyncHarness h, String... pairs) {
        Map<String, String> env = new LinkedHashMap<>(Map.of("CLARI_API_KEY", h.config.apiKey(), "CLARI_API_PASSWORD", h.config.apiPassword()));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void should_send_every_request_through_clari_api_proxy_with_its_user_and_password() throws IOException {
        try (SyncHarness h = new SyncHarness(small(), dir); ForwardProxy proxy = ForwardProxy.withUser("alice", PROXY_PASSWORD)) {
            String url = "http://alice:" + PROXY_PASSWORD + "@127.0.0.1:" + proxy.port();
            SyncHarness.Result r = h.runWith(env(h, "CLARI_API_PROXY", url), "sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(proxy.forwarded.get()).as("requests the proxy forwarded").isPositive().isEqualTo(h.sim.requests().total());
            assertThat(proxy.refused.get()).as("credentials went with the first request: no 407 round trip").isZero();
            assertThat(h.scalar("SELECT COUNT(*) FROM calls")).isEqualTo(40);
            assertThat(r.out() + r.err()).doesNotContain(PROXY_PASSWORD);

            SyncHarness.Result check = h.runWith(env(h, "CLARI_API_PROXY", url), "check");
            assertThat(check.exitCode()).as(check.err()).isZero();
            assertThat(check.out()).contains("proxy: http://127.0.0.1:" + proxy.port() + " (from clari.api.proxy, user alice)");
            assertThat(check.out() + check.err()).doesNotContain(PROXY_PASSWORD);
        }
    }

    @Test
    void should_use_the_standard_proxy_variable_when_clari_api_proxy_is_unset() throws IOException {
        try (SyncHarness h = new SyncHarness(small(), dir); ForwardProxy proxy = ForwardProxy.open()) {
            // the simulator speaks http, so HTTP_PROXY is the variable that applies (HTTPS_PROXY for https://rest-api...)
            SyncHarness.Result r = h.runWith(env(h, "HTTP_PROXY", proxy.url(), "HTTPS_PROXY", "http://127.0.0.1:1"), "sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(proxy.forwarded.get()).isPositive().isEqualTo(h.sim.requests().total());

            SyncHarness.Result check = h.runWith(env(h, "http_proxy", proxy.url()), "check");
            assertThat(check.exitCode()).as(check.err()).isZero();
            assertThat(check.out()).contains("proxy: " + proxy.url() + " (from http_proxy)");
        }
    }

    @Test
    void should_go_direct_when_no_proxy_names_the_api_host() throws IOException {
        try (SyncHarness h = new SyncHarness(small(), dir); ForwardProxy proxy = ForwardProxy.open()) {
            SyncHarness.Result r = h.runWith(env(h, "HTTP_PROXY", proxy.url(), "NO_PROXY", "localhost,127.0.0.1"), "sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(proxy.forwarded.get()).as("the proxy saw nothing").isZero();
            assertThat(h.sim.requests().total()).isPositive();

            SyncHarness.Result check = h.runWith(env(h, "HTTP_PROXY", proxy.url(), "NO_PROXY", "localhost,127.0.0.1"), "check");
            assertThat(check.out()).contains("proxy: none (NO_PROXY matches 127.0.0.1)");
        }
    }

    @Test
    void should_stop_with_one_line_when_the_proxy_answers_407() throws IOException {
        try (SyncHarness h = new SyncHarness(small(), dir); ForwardProxy proxy = ForwardProxy.withUser("alice", PROXY_PASSWORD)) {
            SyncHarness.Result none = h.runWith(env(h, "CLARI_API_PROXY", proxy.url()), "sync");
            assertThat(none.exitCode()).as(none.err()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
            assertThat(none.err()).contains("error: the proxy http://127.0.0.1:" + proxy.port()
                    + " (named by clari.api.proxy) answered 407 Proxy Authentication Required: it needs a user and password");
            assertThat(h.sim.requests().total()).as("nothing reached Clari").isZero();
            assertThat(proxy.refused.get()).as("not retried").isEqualTo(1);

            SyncHarness.Result wrong = h.runWith(env(h, "CLARI_API_PROXY", "http://alice:not-" + PROXY_PASSWORD + "@127.0.0.1:" + proxy.port()), "sync");
            assertThat(wrong.exitCode()).as(wrong.err()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
            assertThat(wrong.err()).contains("answered 407 Proxy Authentication Required: it refused the user alice or the password; "
                    + "check clari.api.proxy (env CLARI_API_PROXY)");
            assertThat(wrong.out() + wrong.err()).doesNotContain(PROXY_PASSWORD);
        }
    }

    @Test
    void should_say_which_proxy_cannot_be_reached() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (SyncHarness h = new SyncHarness(small(), dir)) {
            String url = "http://127.0.0.1:" + closed;
            SyncHarness.Result check = h.runWith(env(h, "HTTP_PROXY", url), "check");
            assertThat(check.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(check.err()).contains("error: cannot reach the proxy " + url + " (connection refused), named by HTTP_PROXY: "
                    + "check HTTP_PROXY (or set clari.api.proxy, which wins) and that the proxy runs");

            h.option("clari.api.max-retries", "1");
            SyncHarness.Result sync = h.runWith(env(h, "CLARI_API_PROXY", url), "sync");
            assertThat(sync.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(sync.err()).contains("error: cannot reach the proxy " + url + " (connection refused), named by clari.api.proxy: "
                    + "check clari.api.proxy (env CLARI_API_PROXY) and that the proxy runs, then run again");
            assertThat(h.sim.requests().total()).isZero();
        }
    }
}
