package dev.clarisync.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clarisync.routes.ExchangeProperties;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One per-parent stream's walk through the backlog within one run: carried on the exchange (property
 * {@value ExchangeProperties#PARENT_PASS}) by the {@code clari-stream-per-parent} route, never held by a bean.
 */
public final class ParentPass {
    private static final ObjectMapper JSON = new ObjectMapper();

    final StreamSpec spec;
    /** userId → name, for speaker names of internal participants. */
    final Map<String, String> userNames;
    /**
     * What a fetched record's stored form depends on besides its answer: the user names, in id order, as JSON (a
     * name holding "=" or ", " cannot make two different sets of names read the same).
     */
    final String answerContext;
    final DetailsBacklog.ReadAhead ahead = new DetailsBacklog.ReadAhead();
    final long owed;
    /** Ids of the stream's records in {@code _rejected_records} when the pass began: one that lands leaves the table. */
    final java.util.Set<String> setAsideBefore;
    // set only by taken (the split's iterating thread) and written (one batch write at a time, in order)
    private String lastTaken;
    private boolean drained;
    private long done;
    /** Records this pass set aside, and how many of them for the first time (the count {@code clari.sync.max-rejected} bounds). */
    private long setAside;
    private long newlySetAside;

    ParentPass(StreamSpec spec, Map<String, String> userNames, long owed, java.util.Set<String> setAsideBefore) {
        this.spec = spec;
        this.setAsideBefore = java.util.Set.copyOf(setAsideBefore);
        this.userNames = userNames;
        this.answerContext = JSON.valueToTree(new TreeMap<>(userNames)).toString();
        this.owed = owed;
    }

    /** A batch of {@code entries} was taken from the backlog, asked for up to {@code allowed}: fewer means it is drained. */
    void taken(List<BacklogEntry> entries, int allowed) {
        if (entries.size() < allowed) {
            drained = true;
        }
        if (!entries.isEmpty()) {
            lastTaken = entries.get(entries.size() - 1).callId();
        }
    }

    /** The last entry taken (null before the first batch): the next batch starts after it. */
    String lastTaken() {
        return lastTaken;
    }

    /** The backlog had no more entries for this pass. */
    boolean drained() {
        return drained;
    }

    /** A batch of {@code results} was written, {@code setAsideNow} of them set aside ({@code newly} for the first time); returns the entries done. */
    long written(int results, int setAsideNow, int newly) {
        setAside += setAsideNow;
        newlySetAside += newly;
        done += results;
        return done;
    }

    long done() {
        return done;
    }

    long newlySetAside() {
        return newlySetAside;
    }
}
