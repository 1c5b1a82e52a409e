package dev.clarisync.sync;

import dev.clarisync.api.InFlightWindow;
import dev.clarisync.ops.Plural;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owed entries of one per-parent pass, handed to the stream's parallel split one request at a time: the body
 * the {@code clari-stream-per-parent} route splits (streaming). It takes batches from the backlog as the split asks
 * for more, so the next batch's requests start while the slowest answer of the last is still out, and it hands an
 * entry out only when the {@link InFlightWindow} allows one more request outstanding (the split's iteration waits
 * there). Each batch is written when all its entries are answered, one write at a time, in the order taken
 * ({@link DetailsBatch}).
 *
 * <p>Bounded like the batches it replaces: a new batch is taken only once the batch before the current one is
 * written, so at most two batches of answers are held, and a crash re-fetches at most those two batches' answered
 * entries. A failure to take a batch (the week's budget is spent, the backlog cannot be read) or a failed write ends
 * the hand-out; what was handed out is still answered and written, and {@link #finish} rethrows the failure.
 * Iteration is single-threaded (Camel's split asks for one part at a time); the other methods are thread-safe.
 */
final class OwedDetails implements Iterator<DetailsPart> {
    private static final Logger LOG = LoggerFactory.getLogger(OwedDetails.class);

    private final RunContext run;
    private final ParentPass pass;
    private final InFlightWindow window;
    /** Completed by {@link #close}: every wait on a write gives up. */
    private final CompletableFuture<Void> closing = new CompletableFuture<>();
    /** Batches taken and not yet known written, in order (guarded by itself). */
    private final List<DetailsBatch> open = new ArrayList<>();
    private CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);
    private DetailsBatch current;
    private DetailsBatch beforeCurrent;
    private int next;
    private volatile boolean closed;
    private volatile RuntimeException stopped;
    /** A part's request failed for good: the split ends on it, and {@link #finish} rethrows it if the split did not. */
    private volatile Exception failure;
    /** Entries handed out whose request has not left the limiter yet: reserved against the week's budget. */
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();

    OwedDetails(RunContext run, ParentPass pass, InFlightWindow window) {
        this.run = run;
        this.pass = pass;
        this.window = window;
    }

    InFlightWindow window() {
        return window;
    }

    @Override
    public boolean hasNext() {
        if (closed || failure != null) {
            return false;
        }
        if (current != null && next < current.entries.size()) {
            return true;
        }
        if (pass.drained() || stopped != null) {
            return false;
        }
        try {
            // at most two batches of answers held: the one before the current one must be written first
            awaitWritten(beforeCurrent);
            if (closed) {
                return false;
            }
            DetailsBatch batch = take();
            if (batch.entries.isEmpty()) {
                return false;
            }
            beforeCurrent = current;
            current = batch;
            next = 0;
            return true;
        } catch (RuntimeException e) {
            stopped = e; // the week's budget is spent, the backlog cannot be read, or a write failed
            return false;
        }
    }

    /**
     * The next entry, once the window allows one more request out; null when the window closed meanwhile (Camel's
     * split skips a null part).
     */
    @Override
    public DetailsPart next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        try {
            if (!window.acquire()) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            return null;
        }
        DetailsBatch batch = current;
        BacklogEntry entry = batch.entries.get(next++);
        if (next == batch.entries.size()) {
            batch.handedOut();
        }
        pending.incrementAndGet();
        return new DetailsPart(batch, entry, this);
    }

    /** A part ended (answered, found gone, set aside, or skipped as already fetched): its permit goes back. */
    void partDone(DetailsPart part, DetailsResult result) {
        sent(part);
        if (part.report()) {
            part.batch().partDone(result);
            window.release();
        }
    }

    /** A part's request left the limiter (it is counted against the week's budget from now on). */
    void sent(DetailsPart part) {
        if (part.settle()) {
            pending.decrementAndGet();
        }
    }

    /** A part's request failed for good: nothing more is handed out, and the stream fails with it. */
    void failed(DetailsPart part, Exception e) {
        sent(part);
        if (failure == null) {
            failure = e;
        }
        close();
        if (part.report()) {
            window.release(); // its batch never completes: settle writes what the batch has
        }
    }

    /** Takes entries from the backlog (never more than the week's budget can still fetch) and chains their write. */
    private DetailsBatch take() {
        int allowed = run.budget().allowance(run.settings().detailsBatchSize(), pending.get());
        List<BacklogEntry> entries = run.backlog().take(pass.ahead, pass.lastTaken(), allowed);
        pass.taken(entries, allowed);
        DetailsBatch batch = new DetailsBatch(pass, entries, WarehouseIdempotentRepository.known(run, pass.spec.name(),
                entries.stream().map(BacklogEntry::callId).toList()));
        if (!entries.isEmpty()) {
            synchronized (open) {
                open.add(batch);
            }
            batch.written = BatchWriter.after(lastWrite, batch.complete, () -> {
                if (batch.claim()) {
                    PerParentStream.write(run, pass, batch.results());
                }
                forget(batch);
            });
            lastWrite = batch.written;
        }
        return batch;
    }

    private void forget(DetailsBatch batch) {
        synchronized (open) {
            open.remove(batch);
        }
    }

    /** Waits for a batch's write, unless the hand-out is closed meanwhile; a failed write is rethrown. */
    private void awaitWritten(DetailsBatch batch) {
        if (batch == null) {
            return;
        }
        CompletableFuture.anyOf(batch.written, closing).exceptionally(e -> null).join();
        if (batch.written.isDone()) {
            batch.awaitWritten();
        }
    }

    /** Stops handing out entries and wakes whatever waits for a permit or a write; idempotent. */
    void close() {
        closed = true;
        window.close();
        closing.complete(null);
    }

    /** After the split: writes every batch (in order) and waits for it, then rethrows what ended the hand-out early. */
    void finish() throws Exception {
        settle(false);
        if (failure != null) {
            throw failure; // the split ended before the failed part reported it: the stream fails all the same
        }
        if (stopped != null) {
            throw stopped;
        }
        LOG.info("{}: at most {} in flight; answers took {} ms on average", pass.spec.name(),
                Plural.of(window.maxOutstanding(), "request"), window.meanAnswerMillis());
    }

    /**
     * The sync failed: stops the hand-out, then writes in order what every unwritten batch already fetched or found
     * gone. Never throws: the sync is failing already, and its own failure is the one to report.
     */
    void salvage() {
        settle(true);
    }

    /**
     * Stops the hand-out, waits (bounded) for the parts still out to end, and settles every unwritten batch in order:
     * a complete batch by its own write; one that will
     * not complete (the hand-out stopped in it, or a part failed) by writing what it has, here. Its completion is then
     * signalled, so the writes chained after it run.
     */
    private void settle(boolean quiet) {
        close();
        String stream = pass.spec.name();
        // the requests still out are answered within their timeout (a quota stop refuses the rest at once): their
        // answers are written with the others rather than fetched again by the next run
        java.time.Duration answerBound = run.settings().apiTimeout().plusSeconds(1);
        if (!window.awaitIdle(answerBound)) {
            LOG.warn("{}: {} still out after {}; written without them, fetched again next run", stream,
                    Plural.of(window.outstanding(), "request"), answerBound);
        }
        // in order: when a batch is written here, every write before it has ended
        for (DetailsBatch b : openBatches()) {
            if (!b.complete.isDone() && b.claim()) {
                List<DetailsResult> answered = b.answeredResults();
                try {
                    if (!answered.isEmpty()) {
                        PerParentStream.write(run, pass, answered);
                        LOG.info("{}: saved the {} details fetched before the failure", stream, answered.size());
                    }
                } catch (RuntimeException e) {
                    if (!quiet) {
                        throw e;
                    }
                    LOG.warn("{}: could not save the {} details fetched before the failure: {}", stream, answered.size(), e.getMessage());
                } finally {
                    b.complete.complete(null); // its own write, chained after the one before, finds it claimed
                }
            }
            if (quiet) {
                awaitQuietly(stream, b);
            } else {
                b.awaitWritten();
            }
        }
    }

    private List<DetailsBatch> openBatches() {
        synchronized (open) {
            return List.copyOf(open);
        }
    }

    private static void awaitQuietly(String stream, DetailsBatch batch) {
        try {
            batch.awaitWritten();
        } catch (RuntimeException e) {
            LOG.warn("{}: a batch of {} could not be written: {}", stream, Plural.of(batch.entries.size(), "call"), e.getMessage());
        }
    }
}
