package dev.clarisync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The live call set: compact {@link CallRecord}s, lazily built sort orders, and the scan that answers
 * {@code GET /calls}. Requests read under a shared lock; test hooks mutate under the exclusive lock, so a
 * page is always rendered from one consistent state even while a test changes calls mid-sync.
 */
final class CallStore {
    private final CallFactory factory;
    private final long start;
    private final long seed;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<CallRecord> records;
    private final Map<String, CallRecord> byId;
    private final Map<String, JsonNode> globalExtras = new LinkedHashMap<>();
    private volatile double controlCharacters;
    /** One cached permutation of record positions per {@link CallQuery.Sort}; null until first needed. */
    private final AtomicReferenceArray<int[]> orders = new AtomicReferenceArray<>(CallQuery.Sort.values().length);
    private int live;
    /** The wall clock of modifications and new calls (epoch ms); a test may put its own simulated clock here. */
    private volatile java.util.function.LongSupplier clock = System::currentTimeMillis;

    // Filter keys mirrored in arrays indexed by record index: a scan over 100,000 calls then reads a few
    // compact arrays instead of chasing 100,000 objects across the heap. Kept in step by sync().
    private long[] timeCol = new long[0];
    private long[] modifiedCol = new long[0];
    private CallStatus[] statusCol = new CallStatus[0];
    private CallType[] typeCol = new CallType[0];
    private boolean[] deletedCol = new boolean[0];
    private boolean[] privateCol = new boolean[0];

    CallStore(SimulatorConfig config, CallFactory factory) {
        this.factory = factory;
        this.seed = config.seed();
        this.start = config.start().toEpochMilli();
        long end = config.end().toEpochMilli();
        int n = config.callCount();
        records = new ArrayList<>(n + 16);
        byId = new HashMap<>(Math.max(16, n * 2));
        double step = (double) (end - start) / Math.max(1, n);
        for (int i = 0; i < n; i++) {
            // evenly spread with jitter inside each call's own step, so times stay in order of index roughly
            double jitter = (Seeds.mix(seed, 0x51077L, i) >>> 11) * 0x1.0p-53 * 0.9;
            long slot = start + (long) ((i + 0.05 + jitter) * step);
            add(factory.create(i, slot, end, start));
        }
    }

    private void add(CallRecord c) {
        if (byId.putIfAbsent(c.id, c) != null) {
            throw new IllegalStateException("generated a duplicate call id " + c.id);
        }
        records.add(c);
        live++;
        sync(c);
    }

    /** Copies a record's filter keys into the columns; call after every change to the record. */
    void sync(CallRecord c) {
        int i = c.index;
        if (i >= timeCol.length) {
            int size = Math.max(16, Math.max(i + 1, timeCol.length + timeCol.length / 2));
            timeCol = Arrays.copyOf(timeCol, size);
            modifiedCol = Arrays.copyOf(modifiedCol, size);
            statusCol = Arrays.copyOf(statusCol, size);
            typeCol = Arrays.copyOf(typeCol, size);
            deletedCol = Arrays.copyOf(deletedCol, size);
            privateCol = Arrays.copyOf(privateCol, size);
        }
        timeCol[i] = c.time;
        modifiedCol[i] = c.lastModified;
        statusCol[i] = c.status;
        typeCol[i] = c.type;
        deletedCol[i] = c.deleted;
        privateCol[i] = c.privateCall;
    }

    <T> T read(Supplier<T> action) {
        lock.readLock().lock();
        try {
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    <T> T write(Supplier<T> action) {
        lock.writeLock().lock();
        try {
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** One answered page: the rendered calls and how many matched in total. */
    record Page(List<ObjectNode> calls, int matched) {
    }

    /**
     * Scans the sort order once: counts every match (for {@code pagination.matched}) and renders only the
     * requested slice. Without pagination it stops as soon as the page is full.
     */
    Page query(CallQuery q) {
        return read(() -> {
            int[] order = order(q.sort);
            List<CallRecord> hits = new ArrayList<>(Math.min(q.limit, 128));
            int matched = 0;
            boolean byUser = q.filtersUsers();
            for (int pos : order) {
                if (!q.matches(timeCol[pos], modifiedCol[pos], statusCol[pos], typeCol[pos], deletedCol[pos],
                        privateCol[pos]) || (byUser && !q.matchesUsers(records.get(pos).users))) {
                    continue;
                }
                if (matched >= q.skip && hits.size() < q.limit) {
                    hits.add(records.get(pos));
                }
                matched++;
                if (!q.includePagination && hits.size() == q.limit) {
                    break;
                }
            }
            List<ObjectNode> calls = new ArrayList<>(hits.size());
            for (CallRecord c : hits) {
                calls.add(render(c));
            }
            return new Page(calls, matched);
        });
    }

    private int[] order(CallQuery.Sort sort) {
        int[] o = orders.get(sort.ordinal());
        if (o != null) {
            return o;
        }
        synchronized (orders) {
            o = orders.get(sort.ordinal());
            if (o == null) {
                o = computeOrder(sort);
                orders.set(sort.ordinal(), o);
            }
            return o;
        }
    }

    private int[] computeOrder(CallQuery.Sort sort) {
        Comparator<CallRecord> byId = Comparator.comparing(c -> c.id);
        Comparator<CallRecord> cmp = switch (sort) {
            case TIME_DESC -> Comparator.<CallRecord>comparingLong(c -> -c.time).thenComparing(byId);
            case TIME_ASC -> Comparator.<CallRecord>comparingLong(c -> c.time).thenComparing(byId);
            // calls not processed yet come last in both directions
            case PROCESSED_DESC -> Comparator.<CallRecord, Boolean>comparing(c -> c.processedAt == CallRecord.NONE)
                    .thenComparingLong(c -> -c.processedAt).thenComparing(byId);
            case PROCESSED_ASC -> Comparator.<CallRecord, Boolean>comparing(c -> c.processedAt == CallRecord.NONE)
                    .thenComparingLong(c -> c.processedAt).thenComparing(byId);
        };
        CallRecord[] sorted = records.toArray(new CallRecord[0]);
        Arrays.sort(sorted, cmp);
        int[] o = new int[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            o[i] = sorted[i].index;
        }
        return o;
    }

    // ---- lookups (callers hold a lock) ----

    /** The call with this id, deleted or not; throws for an id the simulator never had. */
    CallRecord require(String id) {
        CallRecord c = byId.get(id);
        if (c == null) {
            throw new IllegalArgumentException("unknown call id: " + id);
        }
        return c;
    }

    CallRecord find(String id) {
        return byId.get(id);
    }

    ObjectNode render(CallRecord c) {
        ObjectNode n = factory.listItem(c, globalExtras);
        ControlCharacters.apply(n, c.id, controlCharacters);
        return n;
    }

    ObjectNode renderDetails(CallRecord c) {
        ObjectNode n = factory.details(c, globalExtras);
        ControlCharacters.apply(n, c.id, controlCharacters);
        return n;
    }

    /** Share of titles and transcript turns that carry control characters ({@link ControlCharacters}); 0 = none. */
    void controlCharacters(double rate) {
        controlCharacters = rate;
    }

    List<String> liveIds() {
        List<String> ids = new ArrayList<>(live);
        for (CallRecord c : records) {
            if (!c.deleted) {
                ids.add(c.id);
            }
        }
        return Collections.unmodifiableList(ids);
    }

    int live() {
        return live;
    }

    // ---- mutations (callers hold the write lock) ----

    /** A modification stamp: now, but strictly after the call's previous one, at ms precision. */
    static long stamp(long previous) {
        return Math.max(System.currentTimeMillis(), previous + 1);
    }

    /** {@link #stamp} on this store's clock. */
    private long nextStamp(long previous) {
        return Math.max(clock.getAsLong(), previous + 1);
    }

    void useClock(java.util.function.LongSupplier millis) {
        clock = millis;
    }

    void setStatus(CallRecord c, CallStatus status) {
        c.status = status;
        c.lastModified = nextStamp(c.lastModified);
        long processedAt = status.finished() ? c.lastModified : CallRecord.NONE;
        if (processedAt != c.processedAt) {
            c.processedAt = processedAt;
            orders.set(CallQuery.Sort.PROCESSED_ASC.ordinal(), null);
            orders.set(CallQuery.Sort.PROCESSED_DESC.ordinal(), null);
        }
        sync(c);
    }

    void touch(CallRecord c) {
        c.lastModified = nextStamp(c.lastModified);
        sync(c);
    }

    void delete(CallRecord c) {
        if (!c.deleted) {
            c.deleted = true;
            live--;
            sync(c);
        }
    }

    List<String> addCalls(int n) {
        long now = clock.getAsLong();
        SplittableRandom r = new SplittableRandom(Seeds.mix(seed, 0xADDL, records.size()));
        List<String> ids = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int index = records.size();
            long slot = now - 5 * 60_000L - r.nextInt(3 * 3_600_000);
            CallRecord c = factory.create(index, slot, now, Math.min(start, slot));
            // new calls were all just modified; SCHEDULED ones keep their future time
            c.lastModified = now;
            if (c.processedAt != CallRecord.NONE) {
                c.processedAt = now;
            }
            add(c); // syncs the columns
            ids.add(c.id);
        }
        for (int i = 0; i < orders.length(); i++) {
            orders.set(i, null);
        }
        return ids;
    }

    void setGlobalExtra(String key, JsonNode value) {
        globalExtras.put(key, value.deepCopy());
    }
}
