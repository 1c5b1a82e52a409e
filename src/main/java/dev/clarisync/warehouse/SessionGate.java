package dev.clarisync.warehouse;

import java.sql.Connection;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a warehouse's session shares with the other warehouses of this process on the same database
 * ({@link Dialect#gate}): the lock that serialises its statements and transactions, and what must follow a commit.
 * By default each warehouse has a gate of its own, so warehouses in separate schemas of one server write side by side.
 */
class SessionGate {
    private final ReentrantLock lock;

    SessionGate() {
        this(new ReentrantLock());
    }

    SessionGate(ReentrantLock lock) {
        this.lock = lock;
    }

    final ReentrantLock lock() {
        return lock;
    }

    /** A warehouse starts using this gate. */
    void join() {
    }

    /** A warehouse stops using this gate (closed). */
    void leave() {
    }

    /**
     * Runs on the session just after a commit, the lock held, in auto-commit mode; never fails the committed
     * transaction. Nothing by default.
     */
    void committed(Connection session) {
    }
}
