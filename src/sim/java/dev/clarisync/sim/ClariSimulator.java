package dev.clarisync.sim;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process HTTP simulator of the Clari Copilot REST API ({@code /calls}, {@code /call-details},
 * {@code /users}, {@code /scorecard}, {@code /scorecard-template}, {@code /v2/topics}) on 127.0.0.1, serving deterministic generated data with the real API's shapes,
 * paging, limits and error bodies. Tests change data through {@link #data()}, inject failures through
 * {@link #faults()} and check the traffic through {@link #requests()}.
 *
 * <pre>{@code
 * try (ClariSimulator sim = ClariSimulator.start(SimulatorConfig.builder().callCount(500).build())) {
 *     URI base = sim.baseUrl();   // http://127.0.0.1:PORT
 *     ...
 * }
 * }</pre>
 */
public final class ClariSimulator implements AutoCloseable {
    private static final AtomicInteger SERVERS = new AtomicInteger();

    static {
        // The JDK server writes headers and body separately; with Nagle's algorithm on, a small response
        // then waits ~40 ms for the client's delayed ACK. Read once, when the first HttpServer starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SimulatorConfig config;
    private final HttpServer server;
    private final ExecutorService executor;
    private final SimulatorData data;
    private final CoachingData coaching;
    private final FaultPlan faults = new FaultPlan();
    private final RequestLog requests = new RequestLog();
    private final RequestHooks hooks = new RequestHooks();
    private ApiHandler handler;
    private final RateLimiter limiter;
    private final URI baseUrl;
    private volatile boolean closed;

    private ClariSimulator(SimulatorConfig config) throws IOException {
        this.config = config;
        UserDirectory users = new UserDirectory(config.seed(), config.userCount());
        CallStore store = new CallStore(config, new CallFactory(config.seed(), users, config.privateCallRate()));
        this.data = new SimulatorData(store, users);
        CoachingStore coachingStore = new CoachingStore(config.seed(), config.end().toEpochMilli(), store, users);
        this.coaching = new CoachingData(coachingStore, store);
        this.limiter = new RateLimiter(config.rateLimitModel(), config.rateLimitPerSecond(), config.weeklyQuota(),
                System::nanoTime, System::currentTimeMillis);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), config.port());
        this.server = HttpServer.create(address, 128);
        int serverNo = SERVERS.incrementAndGet();
        AtomicInteger threadNo = new AtomicInteger();
        // a delayed answer holds its thread: with answer times, enough threads for a client's many requests out
        int threads = config.delaysAnswers() ? Math.max(64, config.threads()) : config.threads();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "clari-sim-" + serverNo + "-" + threadNo.incrementAndGet());
            t.setDaemon(true); // never keep a test JVM alive
            return t;
        });
        server.setExecutor(executor);
        handler = new ApiHandler(config, store, users, faults, requests, limiter, hooks, coachingStore);
        server.createContext("/", handler);
        server.start();
        this.baseUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Generates the data and starts serving.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static ClariSimulator start(SimulatorConfig config) {
        try {
            return new ClariSimulator(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Clari simulator on port " + config.port(), e);
        }
    }

    /** Starts with {@link SimulatorConfig#defaults()}. */
    public static ClariSimulator start() {
        return start(SimulatorConfig.defaults());
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The bound port. */
    public int port() {
        return baseUrl.getPort();
    }

    /** The configuration this simulator was started with. */
    public SimulatorConfig config() {
        return config;
    }

    /** Hooks to inspect and change the served calls. */
    public SimulatorData data() {
        return data;
    }

    /** Hooks to inspect and change the scorecards, scorecard templates and topics. */
    public CoachingData coaching() {
        return coaching;
    }

    /** Faults to inject into upcoming requests. */
    public FaultPlan faults() {
        return faults;
    }

    /** Counts of received requests. */
    public RequestLog requests() {
        return requests;
    }

    /**
     * Runs {@code action} when the n-th {@code /calls} request counted from now arrives (n = 1: the next
     * one), on the serving thread before that request is answered: the request then sees the change.
     */
    public void onCallsRequest(int n, Runnable action) {
        hooks.onRequest("/calls", n, action);
    }

    /**
     * Like {@link #onCallsRequest}, for the n-th request to any path ({@code "/scorecard"}, {@code "/v2/topics"},
     * ...), counted from now.
     */
    public void onRequest(String path, int n, Runnable action) {
        hooks.onRequest(path, n, action);
    }

    /** From now on accept these credentials instead (as when an admin rotates the API key and password). */
    public void acceptCredentials(String key, String password) {
        handler.acceptCredentials(key, password);
    }

    /**
     * Also accept this key and password (beside the configured or rotated pair), under the same one rate limit and
     * weekly quota: several workspaces' credentials that Clari counts against one shared limit.
     */
    public void alsoAccept(String key, String password) {
        handler.alsoAccept(key, password);
    }

    /** From now on every routed answer passes through {@code shaper} (null: answers as generated). */
    public void shapeAnswers(AnswerShaper shaper) {
        handler.shapeAnswers(shaper);
    }

    /** From now on answers come chunked, without a Content-Length, as a streaming gateway may send them. */
    public void chunkedAnswers(boolean chunked) {
        handler.chunkedAnswers(chunked);
    }

    /** Like {@link #onCallsRequest}, for the n-th {@code /call-details} request. */
    public void onDetailsRequest(int n, Runnable action) {
        hooks.onRequest("/call-details", n, action);
    }

    /** Requests counted against the weekly quota this week. */
    public long quotaUsed() {
        return limiter.quotaUsed();
    }

    /** Gives the weekly quota back, as if a new week had started. */
    public void resetQuota() {
        limiter.resetQuota();
    }

    /** Stops serving at once (open connections are closed). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "ClariSimulator[" + baseUrl + ", calls=" + data.size() + "]";
    }
}
