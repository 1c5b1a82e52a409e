package dev.clarisync.sync;

/**
 * One part of the per-parent split: a backlog entry, the batch it belongs to (where its answer is filed and which is
 * written when all its entries are answered), and the hand-out it came from (whose in-flight permit it holds until
 * {@link OwedDetails#partDone}). Until its request leaves the limiter it is reserved against the week's budget.
 */
record DetailsPart(DetailsBatch batch, BacklogEntry entry, OwedDetails owner, java.util.concurrent.atomic.AtomicBoolean settled,
                   java.util.concurrent.atomic.AtomicBoolean reported) {
    DetailsPart(DetailsBatch batch, BacklogEntry entry, OwedDetails owner) {
        this(batch, entry, owner, new java.util.concurrent.atomic.AtomicBoolean(), new java.util.concurrent.atomic.AtomicBoolean());
    }

    /** True the first time: its request left the limiter, or it ended (or failed) without one. */
    boolean settle() {
        return settled.compareAndSet(false, true);
    }

    /** True the first time: the part ended (answered, skipped, set aside, or failed) and gives its permit back. */
    boolean report() {
        return reported.compareAndSet(false, true);
    }
}
