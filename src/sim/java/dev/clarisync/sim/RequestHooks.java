package dev.clarisync.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Actions to run when the n-th request to a path (counted from registration) arrives. Thread-safe. */
final class RequestHooks {
    private record Hook(String path, long target, Runnable action) {
    }

    private final List<Hook> hooks = new ArrayList<>();
    private final Map<String, Long> arrivals = new HashMap<>();

    synchronized void onRequest(String path, int n, Runnable action) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1");
        }
        hooks.add(new Hook(path, arrivals.getOrDefault(path, 0L) + n, action));
    }

    /** Runs, on the request's thread and before it is answered, the hooks due at this arrival. */
    void arrived(String path) {
        List<Runnable> due = new ArrayList<>();
        synchronized (this) {
            long count = arrivals.merge(path, 1L, Long::sum);
            for (Iterator<Hook> it = hooks.iterator(); it.hasNext(); ) {
                Hook h = it.next();
                if (h.path().equals(path) && h.target() <= count) {
                    it.remove();
                    due.add(h.action());
                }
            }
        }
        for (Runnable r : due) {
            try {
                r.run();
            } catch (RuntimeException e) {
                System.err.println("Clari simulator: request hook on " + path + " failed: " + e);
            }
        }
    }
}
