package dev.clarisync.sim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Actions to run when the n-th {@code /calls} request (counted from registration) arrives. Thread-safe. */
final class RequestHooks {
    private record Hook(long target, Runnable action) {
    }

    private final List<Hook> hooks = new ArrayList<>();
    private long callsRequests;

    synchronized void onCallsRequest(int n, Runnable action) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1");
        }
        hooks.add(new Hook(callsRequests + n, action));
    }

    /** Runs, on the request's thread and before it is answered, the hooks due at this arrival. */
    void callsRequestArrived() {
        List<Runnable> due = new ArrayList<>();
        synchronized (this) {
            callsRequests++;
            for (Iterator<Hook> it = hooks.iterator(); it.hasNext(); ) {
                Hook h = it.next();
                if (h.target() <= callsRequests) {
                    it.remove();
                    due.add(h.action());
                }
            }
        }
        for (Runnable r : due) {
            try {
                r.run();
            } catch (RuntimeException e) {
                System.err.println("Clari simulator: onCallsRequest action failed: " + e);
            }
        }
    }
}
