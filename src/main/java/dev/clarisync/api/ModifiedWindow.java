package dev.clarisync.api;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A half-open range {@code [from, to)} of {@code last_modified_time}, at millisecond precision (the
 * API's). Clari's filters are strict on both ends, so {@link #filterModifiedGt()} sends one
 * millisecond below {@code from}: consecutive windows then partition time exactly, with no call
 * falling between two of them.
 */
public record ModifiedWindow(Instant from, Instant to) {
    public ModifiedWindow {
        from = from.truncatedTo(ChronoUnit.MILLIS);
        to = to.truncatedTo(ChronoUnit.MILLIS);
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("empty window " + from + " .. " + to);
        }
    }

    public Instant filterModifiedGt() {
        return from.minusMillis(1);
    }

    public Instant filterModifiedLt() {
        return to;
    }

    /** True when the window spans more than one millisecond and so can be halved. */
    public boolean splittable() {
        return Duration.between(from, to).toMillis() > 1;
    }

    public ModifiedWindow firstHalf() {
        return new ModifiedWindow(from, midpoint());
    }

    public ModifiedWindow secondHalf() {
        return new ModifiedWindow(midpoint(), to);
    }

    private Instant midpoint() {
        return from.plusMillis(Duration.between(from, to).toMillis() / 2);
    }

    @Override
    public String toString() {
        return "[" + ClariTime.format(from) + " .. " + ClariTime.format(to) + ")";
    }
}
