package dev.clarisync.sync;

import dev.clarisync.ops.Plural;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress people can follow during a long sync: on a terminal a live line, refreshed every couple of
 * seconds; otherwise (service, CI, a log file) one log line per {@code clari.sync.progress-every}. Says
 * the phase, the window being read, calls seen and changed, details done of owed and how far back in call time
 * they are complete (details are fetched newest call first), the request rate, and an estimate of the time the
 * details still need.
 */
public final class ProgressReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final RunStats stats;
    /** The newest call time still owed details (null: none), asked only while details are owed. */
    private final Supplier<Instant> newestOwed;
    private final PrintStream terminal;
    private final ScheduledExecutorService timer;
    private final long started = System.nanoTime();
    private long lastRequests;
    private long lastAt = System.nanoTime();

    private ProgressReporter(RunStats stats, Supplier<Instant> newestOwed, PrintStream terminal, Duration every) {
        this.stats = stats;
        this.newestOwed = newestOwed;
        this.terminal = terminal;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "clari-progress");
            t.setDaemon(true);
            return t;
        });
        long period = terminal != null ? 2_000 : Math.max(1_000, every.toMillis());
        timer.scheduleAtFixedRate(this::report, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts reporting; a live terminal line when {@code liveTerminal} and a console is attached. {@code newestOwed}
     * gives the newest call time still owed details (one small query, asked only while details are owed).
     */
    public static ProgressReporter start(RunStats stats, Supplier<Instant> newestOwed, boolean liveTerminal, Duration every) {
        return new ProgressReporter(stats, newestOwed, liveTerminal && System.console() != null ? System.err : null, every);
    }

    synchronized void report() {
        String line = line();
        if (terminal != null) {
            terminal.print("\r\033[K" + line);
            terminal.flush();
        } else {
            LOG.info("progress: {}", line);
        }
    }

    /** One line: where the sync is and how fast it goes. */
    String line() {
        long now = System.nanoTime();
        long requests = stats.requests();
        double rate = (requests - lastRequests) / Math.max(0.001, (now - lastAt) / 1e9);
        lastRequests = requests;
        lastAt = now;
        StringBuilder s = new StringBuilder();
        s.append(stats.phase() == null ? "starting" : stats.phase());
        if (stats.window() != null && stats.inHeadline()) {
            s.append(" window ").append(stats.window());
        }
        s.append(" | calls ").append(stats.callsSeen()).append(" seen, ").append(stats.callsChanged()).append(" new/changed");
        long owed = stats.detailsOwed();
        if (owed > 0) {
            long done = stats.detailsDone();
            s.append(" | details ").append(done).append('/').append(owed);
            if (rate > 0 && done < owed) {
                s.append(", ~").append(format(Duration.ofSeconds((long) ((owed - done) / rate)))).append(" left");
            }
            Instant back = done < owed ? newestOwed.get() : null;
            if (back != null) {
                s.append(", complete for calls after ").append(MINUTE.format(back));
            }
        }
        s.append(String.format(" | %.1f req/s, %s, %s, %s elapsed", rate, Plural.of(requests, "request"),
                Plural.of(stats.retries(), "retry"), format(Duration.ofNanos(now - started))));
        return s.toString();
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60) : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        if (terminal != null) {
            terminal.print("\r\033[K");
            terminal.flush();
        }
    }
}
