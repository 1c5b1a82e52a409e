package dev.clarisync.sync;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one sync run; thread-safe (details are fetched in parallel). */
public final class RunStats {
    private final Map<String, LongAdder> rows = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requestsByPath = new ConcurrentHashMap<>();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong detailsNotFound = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong callsSeen = new AtomicLong();
    private final AtomicLong callsChanged = new AtomicLong();

    public void reset() {
        rows.clear();
        requestsByPath.clear();
        retries.set(0);
        detailsNotFound.set(0);
        rejected.set(0);
        callsSeen.set(0);
        callsChanged.set(0);
    }

    public void addRows(Map<String, Long> perTable) {
        perTable.forEach((t, n) -> rows.computeIfAbsent(t, k -> new LongAdder()).add(n));
    }

    /** Called by the HTTP client for every request sent. */
    public void request(String path) {
        int q = path.indexOf('?');
        requestsByPath.computeIfAbsent(q < 0 ? path : path.substring(0, q), k -> new LongAdder()).increment();
    }

    public void retry() {
        retries.incrementAndGet();
    }

    public void countDetailsNotFound() {
        detailsNotFound.incrementAndGet();
    }

    public void countRejected() {
        rejected.incrementAndGet();
    }

    public void callsSeen(int n) {
        callsSeen.addAndGet(n);
    }

    public void callsChanged(int n) {
        callsChanged.addAndGet(n);
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
