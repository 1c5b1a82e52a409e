package dev.clarisync.sync;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one sync run (one per {@link RunContext}); thread-safe (details are fetched in parallel). */
public final class RunStats {
    private final dev.clarisync.ops.ConnectorMetrics metrics;

    /** @param metrics where counts are also published (Prometheus); null for none */
    public RunStats(dev.clarisync.ops.ConnectorMetrics metrics) {
        this.metrics = metrics;
    }

    private final Map<String, LongAdder> rows = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requestsByPath = new ConcurrentHashMap<>();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong detailsNotFound = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong setAside = new AtomicLong();
    private final AtomicLong callsSeen = new AtomicLong();
    private final AtomicLong callsChanged = new AtomicLong();
    private final AtomicLong detailsOwed = new AtomicLong();
    private final AtomicLong detailsDone = new AtomicLong();
    private volatile String phase;
    private volatile boolean headlinePhase;
    private volatile String window;

    /** Which stream the run is in (users, calls, call_details), for progress lines. */
    public void phase(StreamSpec spec) {
        this.phase = spec.name();
        this.headlinePhase = spec.reporting() == StreamSpec.Reporting.HEADLINE;
    }

    /** Whether the run is in the headline stream ({@link StreamSpec.Reporting#HEADLINE}), whose window the progress line shows. */
    public boolean inHeadline() {
        return headlinePhase;
    }

    public String phase() {
        return phase;
    }

    public void window(String window) {
        this.window = window;
    }

    public String window() {
        return window;
    }

    public void detailsOwed(long n) {
        detailsOwed.set(n);
    }

    public long detailsOwed() {
        return detailsOwed.get();
    }

    public void detailsDone(long n) {
        detailsDone.addAndGet(n);
    }

    public long detailsDone() {
        return detailsDone.get();
    }

    public void addRows(Map<String, Long> perTable) {
        perTable.forEach((t, n) -> rows.computeIfAbsent(t, k -> new LongAdder()).add(n));
        if (metrics != null) {
            metrics.rowsWritten(perTable);
        }
    }

    /** Called by the HTTP client for every request sent. */
    public void request(String path) {
        int q = path.indexOf('?');
        requestsByPath.computeIfAbsent(q < 0 ? path : path.substring(0, q), k -> new LongAdder()).increment();
    }

    public void retry() {
        retries.incrementAndGet();
        if (metrics != null) {
            metrics.retry();
        }
    }

    public void countDetailsNotFound() {
        detailsNotFound.incrementAndGet();
    }

    public void countRejected() {
        rejected.incrementAndGet();
    }

    /** Records of a stream set aside in {@code _rejected_records}; counted as rejected too. */
    public void setAside(String stream, long n) {
        rejected.addAndGet(n);
        setAside.addAndGet(n);
        if (metrics != null) {
            metrics.recordsRejected(stream, n);
        }
    }

    /** Records set aside by this run (tried and still unreadable ones included). */
    public long setAside() {
        return setAside.get();
    }

    /** Valid records read by a list stream; the summary and the metrics report the headline stream's (calls). */
    public void seen(StreamSpec spec, int n) {
        if (spec.reporting() == StreamSpec.Reporting.HEADLINE) {
            callsSeen.addAndGet(n);
            if (metrics != null) {
                metrics.callsSeen(n);
            }
        }
    }

    /** Records of a list stream that were new or changed, and written. */
    public void changed(StreamSpec spec, int n) {
        if (spec.reporting() == StreamSpec.Reporting.HEADLINE) {
            callsChanged.addAndGet(n);
            if (metrics != null) {
                metrics.callsChanged(n);
            }
        }
    }

    public Map<String, Long> rows() {
        Map<String, Long> out = new TreeMap<>();
        rows.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public Map<String, Long> requestsByPath() {
        Map<String, Long> out = new TreeMap<>();
        requestsByPath.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long requests() {
        return requestsByPath.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long totalRows() {
        return rows.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long retries() {
        return retries.get();
    }

    public long detailsNotFound() {
        return detailsNotFound.get();
    }

    public long rejected() {
        return rejected.get();
    }

    public long callsSeen() {
        return callsSeen.get();
    }

    public long callsChanged() {
        return callsChanged.get();
    }
}
