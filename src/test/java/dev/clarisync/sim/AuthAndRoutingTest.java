package dev.clarisync.sim;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Credentials on every path, unknown paths and ids, and the error body styles. */
class AuthAndRoutingTest {
    static ClariSimulator sim;
    static SimHttp http;

    @BeforeAll
    static void start() {
        sim = ClariSimulator.start(SimulatorConfig.builder().callCount(20).build());
        http = new SimHttp(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/calls", "/call-details?id=x", "/users", "/unknown"})
    void should_answer_401_when_credentials_are_missing(String path) {
        for (SimHttp.Resp r : new SimHttp.Resp[] {http.get(path, null, null), http.get(path, "sim-key", null),
            http.get(path, null, "sim-password")}) {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json().get("errorMessage").asText()).startsWith("Credentials not provided!");
        }
    }

    @Test
    void should_answer_401_invalid_credentials_when_either_credential_is_wrong() {
        SimHttp.Resp wrongKey = http.get("/calls", "nope", "sim-password");
        assertThat(wrongKey.status()).isEqualTo(401);
        assertThat(wrongKey.json().get("errorMessage").asText()).isEqualTo("Invalid credentials");
        assertThat(http.get("/users", "sim-key", "nope").status()).isEqualTo(401);
    }

    @Test
    void should_answer_403_forbidden_on_wrong_credentials_when_configured() {
        try (ClariSimulator strict = ClariSimulator.start(SimulatorConfig.builder().callCount(5)
                .apiKey("k").apiPassword("p").forbiddenOnWrongCredentials(true).build())) {
            SimHttp client = new SimHttp(strict);
            SimHttp.Resp r = client.get("/calls", "k", "wrong");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.body()).isEqualTo("{\"message\":\"Forbidden\"}");
            assertThat(client.get("/calls").status()).isEqualTo(200);
        }
    }

    @Test
    void should_answer_404_not_found_on_unknown_paths() {
        SimHttp.Resp r = http.get("/v2/calls");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("{\"message\":\"Not Found\"}");
    }

    @Test
    void should_answer_404_for_unknown_call_id_and_400_without_id() {
        SimHttp.Resp unknown = http.get("/call-details?id=00000000-0000-4000-8000-000000000000");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"errorMessage\":\"Call not found\"}");
        SimHttp.Resp missing = http.get("/call-details");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().has("errorMessage")).isTrue();
    }

    @Test
    void should_serve_json_with_utf8_content_type() {
        SimHttp.Resp r = http.get("/calls?limit=1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    }
}
