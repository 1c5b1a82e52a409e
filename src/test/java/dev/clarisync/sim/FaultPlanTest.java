package dev.clarisync.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Injected faults: FIFO per path prefix, each kind, and random 5xx. */
class FaultPlanTest {
    static ClariSimulator sim;
    static SimHttp http;

    @BeforeAll
    static void start() {
        sim = ClariSimulator.start(SimulatorConfig.builder().callCount(50).build());
        http = new SimHttp(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void clear() {
        sim.faults().clear();
    }

    @Test
    void should_consume_queued_faults_in_order_per_path() {
        sim.faults()
                .enqueue("/calls", Fault.serviceUnavailable())
                .enqueue("/users", Fault.internalServerError())
                .enqueue("/calls", Fault.tooManyRequests());

        assertThat(http.get("/users").status()).isEqualTo(500);
        assertThat(http.get("/call-details?id=" + sim.data().callIds().get(0)).status()).isEqualTo(200);
        SimHttp.Resp first = http.get("/calls");
        assertThat(first.status()).isEqualTo(503);
        assertThat(first.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
        SimHttp.Resp second = http.get("/calls");
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.body()).isEqualTo("{\"message\":\"Too Many Requests\"}");
        assertThat(http.get("/calls").status()).isEqualTo(200);
        assertThat(sim.faults().pending()).isZero();
    }

    @Test
    void should_answer_gateway_timeout_with_html_and_limit_exceeded_as_json() {
        sim.faults().enqueue("/call-details", Fault.gatewayTimeout()).enqueue("/calls", Fault.limitExceeded());
        SimHttp.Resp timeout = http.get("/call-details?id=x");
        assertThat(timeout.status()).isEqualTo(504);
        assertThat(timeout.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(timeout.body()).contains("504 Gateway Time-out");
        assertThat(http.get("/calls").body()).isEqualTo("{\"message\":\"Limit Exceeded\"}");
    }

    @Test
    void should_cut_the_real_body_in_half_when_truncated() {
        String full = http.get("/calls?limit=5").body();
        sim.faults().enqueue("/calls", Fault.truncated());
        SimHttp.Resp cut = http.get("/calls?limit=5");
        assertThat(cut.status()).isEqualTo(200);
        assertThat(full).startsWith(cut.body());
        assertThat(cut.body().length()).isLessThan(full.length() * 2 / 3);
        assertThatThrownBy(() -> SimHttp.MAPPER.readTree(cut.body())).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void should_send_malformed_json_with_200() {
        sim.faults().enqueue("/calls", Fault.malformed());
        SimHttp.Resp r = http.get("/calls");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"calls\": [ {oops");
    }

    @Test
    void should_close_the_connection_without_a_response_on_reset() throws IOException {
        sim.faults().enqueue("/users", Fault.resetConnection());
        // a raw socket: the JDK HttpClient would silently retry an idempotent GET on an empty reply
        try (Socket socket = new Socket("127.0.0.1", sim.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /users HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "X-Api-Key: sim-key\r\nX-Api-Password: sim-password\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(socket.getInputStream().readAllBytes()).isEmpty();
        }
        assertThat(sim.requests().countStatus(0)).isEqualTo(1);
        assertThat(http.get("/users").status()).isEqualTo(200);
    }

    @Test
    void should_delay_then_answer_normally() {
        sim.faults().enqueue("/users", Fault.delay(300));
        long started = System.nanoTime();
        SimHttp.Resp r = http.get("/users");
        assertThat(r.status()).isEqualTo(200);
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(300);
    }

    @Test
    void should_fail_requests_at_random_with_5xx_at_the_given_rate() {
        sim.faults().randomServerErrors(1.0, 3);
        Set<Integer> statuses = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            statuses.add(http.get(i % 2 == 0 ? "/calls" : "/users").status());
        }
        assertThat(statuses).isSubsetOf(500, 502, 503, 504).hasSizeGreaterThan(2);

        sim.faults().randomServerErrors(0.3, 3);
        int failed = 0;
        for (int i = 0; i < 100; i++) {
            failed += http.get("/users").status() >= 500 ? 1 : 0;
        }
        assertThat(failed).isBetween(10, 55);

        sim.faults().clear();
        assertThat(http.get("/users").status()).isEqualTo(200);
    }

    @Test
    void should_offer_custom_status_faults_with_headers() {
        sim.faults().enqueue("/calls", Fault.tooManyRequests(7))
                .enqueue("/calls", Fault.status(418, "{\"errorMessage\":\"teapot\"}"));
        SimHttp.Resp r = http.get("/calls");
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(http.get("/calls").status()).isEqualTo(418);
    }
}
