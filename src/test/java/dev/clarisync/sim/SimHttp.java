package dev.clarisync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A tiny client for the simulator, with the configured credentials unless told otherwise. */
final class SimHttp {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ClariSimulator sim;

    SimHttp(ClariSimulator sim) {
        this.sim = sim;
    }

    record Resp(int status, String body, HttpHeaders headers) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    Resp get(String pathAndQuery) {
        return get(pathAndQuery, sim.config().apiKey(), sim.config().apiPassword());
    }

    /** GET with these credentials; a null credential leaves its header out. */
    Resp get(String pathAndQuery, String key, String password) {
        try {
            return send(pathAndQuery, key, password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET that lets transport failures through (for connection faults). */
    Resp send(String pathAndQuery, String key, String password) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).GET();
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        if (password != null) {
            b.header("X-Api-Password", password);
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Resp(r.statusCode(), r.body(), r.headers());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Every call of a query, page by page, following nextPageSkip. */
    List<JsonNode> scan(String query, int limit) {
        List<JsonNode> all = new ArrayList<>();
        int skip = 0;
        while (true) {
            JsonNode page = get("/calls?limit=" + limit + "&skip=" + skip + (query.isEmpty() ? "" : "&" + query)).json();
            page.get("calls").forEach(all::add);
            JsonNode p = page.get("pagination");
            if (!p.get("hasMore").asBoolean()) {
                return all;
            }
            skip = p.get("nextPageSkip").asInt();
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String enc(Instant i) {
        return enc(i.toString());
    }
}
