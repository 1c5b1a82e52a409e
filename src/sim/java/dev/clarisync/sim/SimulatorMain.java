package dev.clarisync.sim;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator as a process until killed, for benchmarks that need it in another JVM.
 *
 * <pre>
 * java -cp target/classes:... dev.clarisync.sim.SimulatorMain --port=8089 --calls=100000 --rate-limit=10
 * </pre>
 *
 * Prints {@code Clari simulator listening on http://127.0.0.1:PORT} once it accepts requests. When it is stopped
 * (SIGTERM, SIGINT), it prints one stats line of what it received ({@link RequestLog}) and, with
 * {@code --stats-file=PATH}, writes the same line to that file, for benchmarks that count requests and 429s:
 * <pre>
 * sim-stats total=1234 rate_per_second=9.87 max_in_any_second=10 max_in_flight=8 served_per_second=9.61
 * details_served_per_second=9.80 path./calls=12 path./call-details=1200 status.200=1234 status.429=0 key.sim-key=1234
 * </pre>
 */
public final class SimulatorMain {
    private static final String USAGE = String.join("\n",
            "Usage: SimulatorMain [options]",
            "  --port=N           TCP port on 127.0.0.1 (default 0 = any free port)",
            "  --calls=N          number of calls (default 300)",
            "  --users=N          number of users (default 12)",
            "  --seed=N           data seed (default 42)",
            "  --days=N           calls spread over the last N days (default 90)",
            "  --rate-limit=N     requests per second, 0 = unlimited (default 0)",
            "  --weekly-quota=N   requests per week, 0 = unlimited (default 0)",
            "  --retry-after=N    send Retry-After: N with rate-limit 429s (default: no header)",
            "  --rate-limit-model=M  token-bucket (default), fixed-window (per wall-clock second) or",
            "                     sliding-window (strict sliding second)",
            "  --fail-pages-above=N  answer 502 to /calls requests with limit above N (default 0 = never)",
            "  --max-skip=N       largest accepted skip (default 10000)",
            "  --error-rate=X     share of requests failing with a random 5xx, 0..1 (default 0)",
            "  --latency=MS       answer time added to every response (default 0)",
            "  --latency-jitter=MS  a random 0..MS added to each answer time (default 0)",
            "  --latency-path=P:MS  answer time of path P instead (e.g. /call-details:700; repeatable)",
            "  --also-accept=K:P  also accept key K with password P, under the same limits (repeatable)",
            "  --key=S            expected X-Api-Key (default sim-key)",
            "  --password=S       expected X-Api-Password (default sim-password)",
            "  --stats-file=PATH  on stop, write the request counts (sim-stats line) to PATH",
            "  --answers=MODE     generated (default); captured: shaped like the real API's captured responses;",
            "                     random: spec-valid random answers (seeded by --seed)");

    private SimulatorMain() {
    }

    /** Starts the simulator with the options (see {@code --help}); exits 2 on a bad option. */
    public static void main(String[] args) throws InterruptedException {
        Parsed parsed;
        try {
            parsed = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (parsed == null) {
            System.out.println(USAGE);
            return;
        }
        ClariSimulator sim = ClariSimulator.start(parsed.config());
        switch (parsed.answers()) {
            case "captured" -> sim.shapeAnswers(new CapturedShapes());
            case "random" -> sim.shapeAnswers(new RandomAnswers(parsed.config().seed(), parsed.config().start(), parsed.config().end()));
            default -> { }
        }
        parsed.alsoAccept().forEach(sim::alsoAccept);
        if (parsed.errorRate() > 0) {
            sim.faults().randomServerErrors(parsed.errorRate(), parsed.config().seed());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            String stats = statsLine(sim.requests());
            System.out.println(stats);
            System.out.flush();
            if (parsed.statsFile() != null) {
                try {
                    java.nio.file.Files.writeString(java.nio.file.Path.of(parsed.statsFile()), stats + "\n");
                } catch (java.io.IOException e) {
                    System.err.println("cannot write " + parsed.statsFile() + ": " + e);
                }
            }
            stopped.countDown();
        }, "clari-sim-shutdown"));
        PrintStream out = System.out;
        out.println("Clari simulator listening on " + sim.baseUrl());
        out.flush();
        stopped.await();
    }

    /**
     * One line: total, the rate between the first and the last request, the most requests within any sliding second,
     * counts per path and per answered status.
     */
    static String statsLine(RequestLog log) {
        StringBuilder line = new StringBuilder("sim-stats total=").append(log.total())
                .append(" rate_per_second=").append(String.format(java.util.Locale.ROOT, "%.2f", log.ratePerSecond()))
                .append(" max_in_any_second=").append(log.maxInAnySecond())
                .append(" max_in_flight=").append(log.maxInFlight())
                .append(" served_per_second=").append(String.format(java.util.Locale.ROOT, "%.2f", log.servedPerSecond()))
                .append(" details_served_per_second=").append(String.format(java.util.Locale.ROOT, "%.2f", log.servedPerSecond("/call-details")));
        log.byPath().forEach((path, n) -> line.append(" path.").append(path).append('=').append(n));
        log.byStatus().forEach((status, n) -> line.append(" status.").append(status).append('=').append(n));
        log.byKey().forEach((key, n) -> line.append(" key.").append(key).append('=').append(n));
        return line.toString();
    }

    /** Parsed command line. */
    record Parsed(SimulatorConfig config, double errorRate, String statsFile, String answers, Map<String, String> alsoAccept) {
    }

    /**
     * Parses the options; returns null for {@code --help}.
     *
     * @throws IllegalArgumentException naming the bad option
     */
    static Parsed parse(String[] args) {
        SimulatorConfig.Builder b = SimulatorConfig.builder();
        double errorRate = 0;
        String statsFile = null;
        String answers = "generated";
        Map<String, String> alsoAccept = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            }
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("Unknown argument: " + arg);
            }
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            try {
                switch (name) {
                    case "port" -> b.port(Integer.parseInt(value));
                    case "calls" -> b.callCount(Integer.parseInt(value));
                    case "users" -> b.userCount(Integer.parseInt(value));
                    case "seed" -> b.seed(Long.parseLong(value));
                    case "days" -> b.days(Integer.parseInt(value));
                    case "rate-limit" -> b.rateLimitPerSecond(Integer.parseInt(value));
                    case "weekly-quota" -> b.weeklyQuota(Long.parseLong(value));
                    case "retry-after" -> b.retryAfterSeconds(Integer.parseInt(value));
                    case "rate-limit-model" -> b.rateLimitModel(RateLimitModel.parse(value));
                    case "fail-pages-above" -> b.failPagesAbove(Integer.parseInt(value));
                    case "max-skip" -> b.maxSkip(Integer.parseInt(value));
                    case "error-rate" -> errorRate = Double.parseDouble(value);
                    case "latency" -> b.latencyMillis(Long.parseLong(value));
                    case "latency-jitter" -> b.latencyJitterMillis(Long.parseLong(value));
                    case "latency-path" -> b.latencyMillis(before(value, arg), Long.parseLong(value.substring(value.lastIndexOf(':') + 1)));
                    case "also-accept" -> alsoAccept.put(before(value, arg), value.substring(value.indexOf(':') + 1));
                    case "key" -> b.apiKey(value);
                    case "password" -> b.apiPassword(value);
                    case "stats-file" -> statsFile = value;
                    case "answers" -> answers = value;
                    default -> throw new IllegalArgumentException("Unknown option: --" + name);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Not a number in " + arg);
            }
        }
        if (errorRate < 0 || errorRate > 1) {
            throw new IllegalArgumentException("--error-rate must be between 0 and 1");
        }
        if (!List.of("generated", "captured", "random").contains(answers)) {
            throw new IllegalArgumentException("--answers must be generated, captured or random");
        }
        return new Parsed(b.build(), errorRate, statsFile, answers, alsoAccept);
    }

    /** The part of {@code value} before its separating colon (the last one for a path, the first for a key). */
    private static String before(String value, String arg) {
        int colon = arg.startsWith("--latency-path=") ? value.lastIndexOf(':') : value.indexOf(':');
        if (colon < 1 || colon == value.length() - 1) {
            throw new IllegalArgumentException("Expected NAME:VALUE in " + arg);
        }
        return value.substring(0, colon);
    }
}
