package dev.clarisync.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers every request: counts it, runs request hooks, answers an injected fault if one is due (after the answer
 * time), else checks credentials, the rate limit and the weekly quota as a gateway does at arrival (refusals are
 * answered at once), then waits the endpoint's answer time and routes to the endpoint.
 */
final class ApiHandler implements HttpHandler {
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final String MISSING_CREDENTIALS =
            "Credentials not provided!, see documentation: https://api-doc.copilot.clari.com";

    /** A response before it is written. */
    private record Response(int status, byte[] body, String contentType, Map<String, String> headers) {
        static Response json(int status, String body) {
            return new Response(status, body.getBytes(StandardCharsets.UTF_8), JSON_TYPE, Map.of());
        }

        static Response json(int status, byte[] body) {
            return new Response(status, body, JSON_TYPE, Map.of());
        }
    }

    private final SimulatorConfig config;
    private final CallStore store;
    private final UserDirectory users;
    private final FaultPlan faults;
    private final RequestLog log;
    private final RateLimiter limiter;
    private final RequestHooks hooks;
    private final CoachingStore coaching;
    /** The key and password accepted now (a workspace admin can rotate them while a client runs). */
    private final java.util.concurrent.atomic.AtomicReference<String[]> credentials = new java.util.concurrent.atomic.AtomicReference<>();
    /**
     * Further key → password pairs accepted beside {@link #credentials}: several workspaces' credentials behind one
     * limit (this simulator's one rate limiter and weekly quota), as when Clari counts the limit per partner or address.
     */
    private final Map<String, String> alsoAccepted = new java.util.concurrent.ConcurrentHashMap<>();
    /** The users' answer, serialised once per version of the list (a rename replaces the list). */
    private volatile UsersAnswer usersAnswer;

    private record UsersAnswer(List<SimUser> of, byte[] body) {
    }

    /** Reshapes routed answers (captured shapes, random data); null: answers as generated. */
    private volatile AnswerShaper shaper;
    /** Answers sent with chunked transfer encoding, without a Content-Length (a gateway that streams). */
    private volatile boolean chunked;

    ApiHandler(SimulatorConfig config, CallStore store, UserDirectory users, FaultPlan faults, RequestLog log,
               RateLimiter limiter, RequestHooks hooks, CoachingStore coaching) {
        this.config = config;
        this.store = store;
        this.users = users;
        this.faults = faults;
        this.log = log;
        this.limiter = limiter;
        this.hooks = hooks;
        this.coaching = coaching;
        this.credentials.set(new String[] {config.apiKey(), config.apiPassword()});
    }

    private byte[] usersBody() {
        UsersAnswer a = usersAnswer;
        List<SimUser> now = users.all();
        if (a == null || a.of() != now) {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            ArrayNode list = root.putArray("users");
            now.forEach(u -> list.add(u.toJson()));
            a = new UsersAnswer(now, Json.bytes(root));
            usersAnswer = a;
        }
        return a.body();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        log.arrived(path);
        log.began();
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes(); // drain, so the connection can be kept alive
        }
        try {
            hooks.arrived(path);
            long answerTime = config.answerTimeMillis(path, java.util.concurrent.ThreadLocalRandom.current()::nextLong);
            Fault fault = faults.next(path);
            if (fault != null && fault.kind() != Fault.Kind.DELAY && fault.kind() != Fault.Kind.TRUNCATED) {
                sleep(answerTime);
                answerFault(exchange, fault);
                return;
            }
            // the gateway counts a request when it arrives and refuses it at once (a 401, a 429); only an admitted
            // request takes the answer time. Admitting after the answer time let its jitter bunch requests the
            // client had spaced evenly, and a strict limiter answered 429s that a real gateway would not
            Response refused = admit(exchange);
            if (refused != null) {
                send(exchange, refused);
                return;
            }
            sleep(answerTime);
            if (fault != null && fault.kind() == Fault.Kind.DELAY) {
                sleep(fault.delayMillis());
            }
            if (config.failPagesAbove() > 0 && path.equals("/calls") && pageLimit(exchange) > config.failPagesAbove()) {
                // a gateway in front of the API timing out on large pages (a production connector saw this)
                send(exchange, Response.json(502, Json.message("Bad Gateway")));
                return;
            }
            Response response = route(exchange, path);
            if (fault != null && fault.kind() == Fault.Kind.TRUNCATED) {
                byte[] half = Arrays.copyOf(response.body(), response.body().length / 2);
                response = new Response(response.status(), half, response.contentType(), response.headers());
            }
            send(exchange, response);
        } catch (RuntimeException e) {
            // a simulator bug must still be an HTTP answer, not a hung client
            send(exchange, Response.json(500, Json.error("Simulator error: " + e)));
        } finally {
            log.ended();
            exchange.close();
        }
    }

    /** An injected fault that replaces the answer (a status, a malformed body, a reset): it never reaches the limiter. */
    private void answerFault(HttpExchange exchange, Fault fault) throws IOException {
        switch (fault.kind()) {
            case STATUS -> send(exchange, new Response(fault.statusCode(), fault.body().getBytes(StandardCharsets.UTF_8),
                    fault.contentType(), fault.headers()));
            case MALFORMED -> send(exchange, Response.json(200, Fault.MALFORMED_BODY));
            case RESET -> {
                // closing an exchange before sending headers closes the socket with no response bytes
                log.answered(0);
                exchange.close();
            }
            default -> throw new IllegalStateException("not a replacing fault: " + fault.kind());
        }
    }

    void shapeAnswers(AnswerShaper shaper) {
        this.shaper = shaper;
    }

    void chunkedAnswers(boolean chunked) {
        this.chunked = chunked;
    }

    /** The answer after the {@link AnswerShaper}, if one is installed. */
    private Response shaped(String path, Map<String, List<String>> params, Response r) {
        AnswerShaper s = shaper;
        if (s == null || !JSON_TYPE.equals(r.contentType())) {
            return r;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode answer = Json.MAPPER.readTree(r.body());
            int status = s.status(path, params, r.status());
            return new Response(status, Json.bytes(s.shape(path, params, status, answer)), r.contentType(), r.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The {@code limit} a {@code /calls} request asks for; 0 when absent or not a number (the endpoint answers those). */
    private static int pageLimit(HttpExchange exchange) {
        try {
            List<String> limit = parseQuery(exchange.getRequestURI().getRawQuery()).get("limit");
            return limit == null || limit.isEmpty() ? 0 : Integer.parseInt(limit.get(0).trim());
        } catch (RuntimeException notANumber) {
            return 0;
        }
    }

    void acceptCredentials(String key, String password) {
        credentials.set(new String[] {key, password});
    }

    void alsoAccept(String key, String password) {
        alsoAccepted.put(key, password);
    }

    /** The gateway's checks, at arrival: credentials, the rate limit, the weekly quota. Null: admitted. */
    private Response admit(HttpExchange exchange) {
        String key = exchange.getRequestHeaders().getFirst("X-Api-Key");
        String password = exchange.getRequestHeaders().getFirst("X-Api-Password");
        if (key == null || key.isEmpty() || password == null || password.isEmpty()) {
            return Response.json(401, Json.error(MISSING_CREDENTIALS));
        }
        String[] accepted = credentials.get();
        boolean main = key.equals(accepted[0]) && password.equals(accepted[1]);
        if (!main && !password.equals(alsoAccepted.get(key))) {
            return config.forbiddenOnWrongCredentials()
                    ? Response.json(403, Json.message("Forbidden"))
                    : Response.json(401, Json.error("Invalid credentials"));
        }
        log.byKey(key);
        return switch (limiter.admit()) {
            case RATE_LIMITED -> new Response(429, Json.message("Too Many Requests").getBytes(StandardCharsets.UTF_8), JSON_TYPE,
                    config.retryAfterSeconds() == null ? Map.of() : Map.of("Retry-After", config.retryAfterSeconds().toString()));
            case QUOTA_EXHAUSTED -> Response.json(429, Json.message("Limit Exceeded"));
            default -> null;
        };
    }

    /** The endpoint's answer to an admitted request. */
    private Response route(HttpExchange exchange, String path) {
        if (!"GET".equals(exchange.getRequestMethod())) {
            return Response.json(405, Json.message("Method Not Allowed"));
        }
        Map<String, List<String>> params = parseQuery(exchange.getRequestURI().getRawQuery());
        try {
            return shaped(path, params, switch (path) {
                case "/calls" -> calls(params);
                case "/call-details" -> callDetails(params);
                case "/users" -> Response.json(200, usersBody());
                case "/scorecard" -> scorecards(params);
                case "/scorecard-template" -> list("scoreCardTemplates", coaching.templates());
                case "/v2/topics" -> list("topics", coaching.topics(CoachingQuery.lower(params, "filterModifiedGt"),
                        CoachingQuery.upper(params, "filterModifiedLt")));
                default -> Response.json(404, Json.message("Not Found"));
            });
        } catch (ApiException e) {
            return shaped(path, params, Response.json(e.status, e.body));
        }
    }

    private Response calls(Map<String, List<String>> params) {
        CallQuery query = CallQuery.parse(params, config, users);
        CallStore.Page page = store.query(query);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode calls = root.putArray("calls");
        calls.addAll(page.calls());
        if (query.includePagination) {
            ObjectNode pagination = root.putObject("pagination");
            pagination.put("matched", page.matched());
            int next = query.skip + page.calls().size();
            boolean hasMore = next < page.matched();
            pagination.put("hasMore", hasMore);
            if (hasMore) {
                pagination.put("nextPageSkip", next);
            }
        }
        return Response.json(200, Json.bytes(root));
    }

    /** {@code GET /scorecard}: paged like {@code /calls}, with the pagination object always present. */
    private Response scorecards(Map<String, List<String>> params) {
        CoachingQuery query = CoachingQuery.scorecards(params, config);
        CoachingStore.Page page = coaching.scorecards(query);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putArray("scorecards").addAll(page.items());
        ObjectNode pagination = root.putObject("pagination");
        pagination.put("matched", page.matched());
        int next = query.skip + page.items().size();
        pagination.put("hasMore", next < page.matched());
        if (next < page.matched()) {
            pagination.put("nextPageSkip", next);
        }
        return Response.json(200, Json.bytes(root));
    }

    private static Response list(String key, List<ObjectNode> items) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putArray(key).addAll(items);
        return Response.json(200, Json.bytes(root));
    }

    private Response callDetails(Map<String, List<String>> params) {
        List<String> ids = params.get("id");
        String id = ids == null || ids.isEmpty() ? null : ids.get(0);
        if (id == null || id.isBlank()) {
            throw ApiException.badRequest("Missing required query parameter: id");
        }
        DetailsDefect[] defect = new DetailsDefect[1];
        ObjectNode call = store.read(() -> {
            CallRecord c = store.find(id);
            if (c == null || c.deleted || c.detailsMissing) {
                return null;
            }
            defect[0] = c.detailsDefect;
            return store.renderDetails(c);
        });
        if (call == null) {
            return Response.json(404, Json.error("Call not found"));
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("call", call);
        return Response.json(200, defect[0] == null ? Json.bytes(root) : defective(Json.bytes(root), defect[0]));
    }

    /** The answer as a {@link DetailsDefect} spoils it: the same bytes on every request. */
    private static byte[] defective(byte[] answer, DetailsDefect defect) {
        return switch (defect) {
            case UNMAPPABLE -> "{\"call\":\"unavailable\"}".getBytes(StandardCharsets.UTF_8);
            case ALWAYS_TRUNCATED -> java.util.Arrays.copyOf(answer, answer.length / 2);
            case INVALID_UTF8 -> {
                // 0xC3 must start a two-byte sequence; 0x28 ('(') cannot continue one
                byte[] marker = "\"full_summary\":\"".getBytes(StandardCharsets.UTF_8);
                int at = indexOf(answer, marker);
                int cut = at < 0 ? answer.length / 2 : at + marker.length;
                byte[] out = new byte[answer.length + 2];
                System.arraycopy(answer, 0, out, 0, cut);
                out[cut] = (byte) 0xC3;
                out[cut + 1] = (byte) 0x28;
                System.arraycopy(answer, cut, out, cut + 2, answer.length - cut);
                yield out;
            }
        };
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Malformed query string");
        }
    }

    private void send(HttpExchange exchange, Response r) throws IOException {
        log.answered(exchange.getRequestURI().getPath(), r.status());
        exchange.getResponseHeaders().set("Content-Type", r.contentType());
        r.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        // a length of 0 tells the server to send the body in chunks
        exchange.sendResponseHeaders(r.status(), head || r.body().length == 0 ? -1 : chunked ? 0 : r.body().length);
        if (!head && r.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(r.body());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
