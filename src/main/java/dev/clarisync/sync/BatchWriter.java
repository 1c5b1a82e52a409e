package dev.clarisync.sync;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that write per-parent batches while the next batch is fetched ({@link PerParentStream#writeBatch}).
 * Shared by every run of the process and holding nothing of any run: a run's batch writes are chained, each after
 * the one before ({@link #after}), so each account's warehouse is still written by one thread at a time, in batch
 * order; runs of different accounts each get a thread. Threads are created on demand and end after a minute idle.
 */
final class BatchWriter {
    private static final AtomicInteger THREAD = new AtomicInteger();
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "clari-batch-writer-" + THREAD.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private BatchWriter() {
    }

    /** Starts {@code write} on a writer thread. */
    static CompletableFuture<Void> start(Runnable write) {
        return CompletableFuture.runAsync(write, THREADS);
    }

    /**
     * Runs {@code write} on a writer thread once {@code previous} (the write before it) and {@code ready} have both
     * completed; if {@code previous} failed, {@code write} never runs and the returned write fails the same way.
     */
    static CompletableFuture<Void> after(CompletableFuture<Void> previous, CompletableFuture<Void> ready, Runnable write) {
        return CompletableFuture.allOf(previous, ready).thenRunAsync(write, THREADS);
    }

    /** Waits for a write started by {@link #start}; its failure is rethrown as it was thrown. */
    static void await(CompletableFuture<Void> write) {
        try {
            write.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
