package dev.clarisync.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real headless Chromium (Debian's {@code chromium} package) driven over the DevTools protocol with the JDK's own
 * WebSocket client: no extra test dependency. One page; every event is kept so tests can look for console errors,
 * exceptions and network requests. Missing Chromium fails the test with an install hint; it never skips.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new ArrayList<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    static Path binary() {
        String configured = System.getenv("CHROMIUM_BIN");
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.addAll(List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser")));
        return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError(
                "Chromium is needed to test the dashboard in a real browser and was not found (/usr/bin/chromium). "
                        + "Install it with `apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_BIN to its path."));
    }

    /** Starts Chromium on about:blank and attaches to its page, with Page, Runtime, Log and Network events on. */
    static HeadlessChromium start(int width, int height) throws Exception {
        Path bin = binary();
        Path profile = Files.createTempDirectory("clarisync-chromium-");
        Process p = new ProcessBuilder(bin.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            int port = devToolsPort(p, profile);
            HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            String wsUrl = null;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (wsUrl == null && System.nanoTime() < deadline) {
                String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                for (JsonNode t : JSON.readTree(list)) {
                    if ("page".equals(t.path("type").asText())) {
                        wsUrl = t.path("webSocketDebuggerUrl").asText();
                        break;
                    }
                }
                if (wsUrl == null) {
                    Thread.sleep(100);
                }
            }
            if (wsUrl == null) {
                throw new AssertionError("Chromium opened no page target: " + log(profile));
            }
            HeadlessChromium[] self = new HeadlessChromium[1];
            WebSocket ws = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(URI.create(wsUrl), new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        String message = text.toString();
                        text.setLength(0);
                        self[0].receive(message);
                    }
                    webSocket.request(1);
                    return null;
                }
            }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            HeadlessChromium c = new HeadlessChromium(p, profile, ws);
            self[0] = c;
            for (String domain : List.of("Page", "Runtime", "Log", "Network")) {
                c.send(domain + ".enable", JSON.createObjectNode());
            }
            return c;
        } catch (Exception | AssertionError e) {
            p.destroyForcibly();
            SyncedWarehouse.delete(profile);
            throw e;
        }
    }

    private static int devToolsPort(Process p, Path profile) throws Exception {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (lines.size() >= 2 && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            if (!p.isAlive()) {
                throw new AssertionError("Chromium exited with " + p.exitValue() + ": " + log(profile));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Chromium did not open its DevTools port within " + TIMEOUT + ": " + log(profile));
    }

    private static String log(Path profile) {
        try {
            String log = Files.readString(profile.resolve("chromium.log"));
            return log.length() > 2000 ? log.substring(log.length() - 2000) : log;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void receive(String message) {
        try {
            JsonNode m = JSON.readTree(message);
            if (m.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(m.path("id").asInt());
                if (f != null) {
                    f.complete(m);
                }
            } else {
                synchronized (events) {
                    events.add(m);
                    events.notifyAll();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable DevTools message", e);
        }
    }

    /** Sends a command and returns its {@code result}; a protocol error fails. */
    JsonNode send(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode m = JSON.createObjectNode().put("id", id).put("method", method);
        m.set("params", params);
        socket.sendText(JSON.writeValueAsString(m), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode reply = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new AssertionError(method + " failed: " + reply.path("error"));
        }
        return reply.path("result");
    }

    /** Evaluates an expression in the page and returns its value (by value; promises awaited). */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = send("Runtime.evaluate", JSON.createObjectNode().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError("page threw while evaluating " + expression + ": " + r.path("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** Navigates and waits for the load event. */
    void open(URI url) throws Exception {
        int before = events("Page.loadEventFired").size();
        JsonNode nav = send("Page.navigate", JSON.createObjectNode().put("url", url.toString()));
        if (nav.hasNonNull("errorText")) {
            throw new AssertionError("cannot open " + url + ": " + nav.path("errorText").asText());
        }
        awaitEvent(e -> "Page.loadEventFired".equals(e.path("method").asText()), before);
    }

    private void awaitEvent(Predicate<JsonNode> match, int skip) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (events) {
            while (true) {
                if (events.stream().filter(match).count() > skip) {
                    return;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new TimeoutException("no matching DevTools event within " + TIMEOUT);
                }
                events.wait(left);
            }
        }
    }

    /** Forgets the events seen so far (before opening the next page). */
    void clearEvents() {
        synchronized (events) {
            events.clear();
        }
    }

    /** Events seen so far with this method. */
    List<JsonNode> events(String method) {
        synchronized (events) {
            return events.stream().filter(e -> method.equals(e.path("method").asText())).map(e -> e.path("params")).toList();
        }
    }

    /** Console errors, uncaught exceptions and error log entries (CSP violations, failed loads) seen so far. */
    List<String> errors() {
        List<String> out = new ArrayList<>();
        events("Runtime.consoleAPICalled").stream().filter(e -> "error".equals(e.path("type").asText()) || "assert".equals(e.path("type").asText()))
                .forEach(e -> out.add("console." + e.path("type").asText() + ": " + e.path("args")));
        events("Runtime.exceptionThrown").forEach(e -> out.add("exception: " + e.path("exceptionDetails")));
        events("Log.entryAdded").stream().filter(e -> "error".equals(e.path("entry").path("level").asText()))
                .forEach(e -> out.add("log: " + e.path("entry")));
        return out;
    }

    /** A PNG of the whole page at {@code width} CSS pixels. */
    byte[] screenshot(int width) throws Exception {
        JsonNode metrics = send("Page.getLayoutMetrics", JSON.createObjectNode());
        int height = (int) Math.ceil(metrics.path("cssContentSize").path("height").asDouble(1000));
        send("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", Math.min(height, 12000))
                .put("deviceScaleFactor", 1).put("mobile", false));
        JsonNode shot = send("Page.captureScreenshot", JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true));
        send("Emulation.clearDeviceMetricsOverride", JSON.createObjectNode());
        return java.util.Base64.getDecoder().decode(shot.path("data").asText());
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the process goes anyway
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Chromium's own helpers (renderer, zygote) if any outlived it
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        SyncedWarehouse.delete(profile);
    }
}
