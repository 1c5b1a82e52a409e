package dev.clarisync.sync;

/**
 * One part of the per-parent split: a backlog entry, the batch it belongs to (where its answer is filed and which is
 * written when all its entries are answered), and the hand-out it came from (whose in-flight permit it holds until
 * {@link OwedDetails#partDone}). Until its request leaves the limiter it is reserved against the week's budget.
 */
record DetailsPart(DetailsBatch batch, BacklogEntry entry, OwedDetails owner, java.util.concurrent.atomic.AtomicBoolean settled) {
    /** True the first time: its request left the limiter, or it ended (or failed) without one. */
    boolean settle() {
        return settled.compareAndSet(false, true);
    }
}
