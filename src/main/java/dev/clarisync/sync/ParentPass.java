package dev.clarisync.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/**
 * One per-parent stream's walk through the backlog within one run: carried on the exchange (property
 * {@value #PROPERTY}) by the {@code clari-stream-per-parent} route, never held by a bean.
 */
public final class ParentPass {
    public static final String PROPERTY = "clariParentPass";
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
    String lastTaken;
    boolean drained;
    long done;

    ParentPass(StreamSpec spec, Map<String, String> userNames, long owed) {
        this.spec = spec;
        this.userNames = userNames;
        this.answerContext = JSON.valueToTree(new TreeMap<>(userNames)).toString();
        this.owed = owed;
    }
}
