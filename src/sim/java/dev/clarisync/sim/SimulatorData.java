package dev.clarisync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Test hooks on the simulator's data. Every method is thread-safe and takes effect for the next request;
 * a request in flight sees either the state before or after a change, never half of it.
 *
 * <p>Ids passed in must be ids the simulator generated (else {@link IllegalArgumentException}); a
 * deleted call is still "known" to the mutators, which then change nothing visible.
 */
public final class SimulatorData {
    /** Pass as id to {@link #setExtraField} to set the field on every call. */
    public static final String ALL = "*";

    private final CallStore store;
    private final UserDirectory users;

    SimulatorData(CallStore store, UserDirectory users) {
        this.store = store;
        this.users = users;
    }

    /**
     * Makes {@code clock} the "now" of every later change (status changes, touches, new calls), for tests that
     * simulate days or weeks of a workspace's life in seconds.
     */
    public void useClock(java.time.Clock clock) {
        store.useClock(clock::millis);
    }

    /** Ids of all calls not deleted, in generation order (private calls included). */
    public List<String> callIds() {
        return store.read(store::liveIds);
    }

    /** Number of calls not deleted. */
    public int size() {
        return store.read(store::live);
    }

    /** The call as {@code /calls} would serve it now, or null when deleted or unknown. */
    public ObjectNode listItem(String id) {
        return store.read(() -> {
            CallRecord c = store.find(id);
            return c == null || c.deleted ? null : store.render(c);
        });
    }

    /** The call as {@code /call-details} would serve it now (without the {@code call} wrapper), or null on a 404. */
    public ObjectNode details(String id) {
        return store.read(() -> {
            CallRecord c = store.find(id);
            return c == null || c.deleted || c.detailsMissing ? null : store.renderDetails(c);
        });
    }

    /** The call's current {@code last_modified_time}. */
    public Instant lastModified(String id) {
        return store.read(() -> Instant.ofEpochMilli(store.require(id).lastModified));
    }

    /** The call's current status. */
    public CallStatus status(String id) {
        return store.read(() -> store.require(id).status);
    }

    /**
     * Sets the status, as the real pipeline does: {@code last_modified_time} becomes now, strictly later than
     * before. A finished status makes transcript, summary and metrics appear; others remove them.
     *
     * @return the new last_modified_time
     */
    public Instant changeStatus(String id, CallStatus newStatus) {
        Objects.requireNonNull(newStatus, "newStatus");
        return store.write(() -> {
            CallRecord c = store.require(id);
            store.setStatus(c, newStatus);
            return Instant.ofEpochMilli(c.lastModified);
        });
    }

    /** Same as {@link #changeStatus(String, CallStatus)} with the status's name. */
    public Instant changeStatus(String id, String newStatus) {
        return changeStatus(id, CallStatus.valueOf(newStatus));
    }

    /**
     * Moves {@code last_modified_time} to now (strictly later than before) without changing anything else.
     *
     * @return the new last_modified_time
     */
    public Instant touch(String id) {
        return store.write(() -> {
            CallRecord c = store.require(id);
            store.touch(c);
            return Instant.ofEpochMilli(c.lastModified);
        });
    }

    /**
     * Regenerates the AI-written details (summary, live deal stage, competitor sentiments). The list item,
     * including {@code last_modified_time}, does not change: only a re-fetch of details notices.
     */
    public void reviseSummary(String id) {
        store.write(() -> store.require(id).detailsRevision++);
    }

    /**
     * Moves the call's deal in the CRM: {@code deal_stage_before_call} and {@code deal_stage_live} become {@code stage},
     * {@code deal_value} becomes {@code value}. Like a real CRM edit it leaves {@code last_modified_time} alone: only a
     * list reconciliation, or a later change of the call ({@link #touch}), brings it to a sync.
     *
     * @throws IllegalArgumentException the call has no deal, or {@code stage} is not a stage the simulator knows
     */
    public void moveDeal(String id, String stage, long value) {
        if (!java.util.Arrays.asList(Texts.DEAL_STAGES).contains(stage)) {
            throw new IllegalArgumentException("unknown deal stage '" + stage + "' (known: " + String.join(", ", Texts.DEAL_STAGES) + ")");
        }
        store.write(() -> {
            CallRecord c = store.require(id);
            if (!store.render(c).has("deal_stage_before_call")) {
                throw new IllegalArgumentException("call " + id + " has no deal");
            }
            c.dealStage = stage;
            c.dealValue = value;
            return null;
        });
    }

    /** Deal stages the simulator uses, in pipeline order; the last two are terminal (Closed Won, Closed Lost). */
    public static List<String> dealStages() {
        return List.of(Texts.DEAL_STAGES);
    }

    /** Removes the call: gone from {@code /calls}, and {@code /call-details} answers 404. */
    public void delete(String id) {
        store.write(() -> {
            store.delete(store.require(id));
            return null;
        });
    }

    /** Keeps the call in {@code /calls} but makes {@code /call-details} answer 404 for it. */
    public void detailsMissing(String id) {
        store.write(() -> store.require(id).detailsMissing = true);
    }

    /** Makes {@code /call-details} answer the call in an unreadable form, on every request, until {@link #readableDetails}. */
    public void unreadableDetails(String id, DetailsDefect defect) {
        Objects.requireNonNull(defect, "defect");
        store.write(() -> store.require(id).detailsDefect = defect);
    }

    /** Undoes {@link #unreadableDetails}: the call's details are answered as usual again. */
    public void readableDetails(String id) {
        store.write(() -> {
            store.require(id).detailsDefect = null;
            return null;
        });
    }

    /** Gives the call's transcript exactly {@code turns} turns (an all-day recorded session: tens of thousands). */
    public void longTranscript(String id, int turns) {
        if (turns <= 0) {
            throw new IllegalArgumentException("turns must be positive");
        }
        store.write(() -> store.require(id).transcriptTurns = turns);
    }

    /**
     * Adds {@code n} new calls that started within the last few hours, all with
     * {@code last_modified_time} = now.
     *
     * @return their ids
     */
    public List<String> addCalls(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0");
        }
        return store.write(() -> store.addCalls(n));
    }

    /**
     * Makes an unknown new field appear on list items and details of one call, or of every call (also
     * calls added later) when {@code id} is {@link #ALL} or null. Does not move {@code last_modified_time}.
     */
    public void setExtraField(String id, String key, JsonNode value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        store.write(() -> {
            if (id == null || ALL.equals(id)) {
                store.setGlobalExtra(key, value);
            } else {
                store.require(id).putExtra(key, value.deepCopy());
            }
            return null;
        });
    }

    /**
     * Puts control characters (NUL and other C0 characters, DEL, and unpaired surrogates sent as {@code &#92;ud800}-style
     * JSON escapes) into about {@code rate} of the calls' titles (list items and details alike) and of all transcript
     * turns, chosen by call id; 0 turns it off. The list item and details of a call keep their versions: like a
     * simulator started with it, not an edit.
     */
    public void controlCharacters(double rate) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("rate must be 0..1");
        }
        store.controlCharacters(rate);
    }

    /** The workspace users as {@code /users} serves them (copies). */
    public List<ObjectNode> users() {
        List<ObjectNode> out = new ArrayList<>();
        for (SimUser u : users.all()) {
            out.add(u.toJson());
        }
        return out;
    }

    /** Renames the user with this id (a name edited in Clari): its id and e-mail stay. */
    public void renameUser(String id, String name) {
        int i = users.indexOf(id);
        if (i < 0) {
            throw new IllegalArgumentException("no user " + id);
        }
        users.rename(i, name);
    }

    /** The workspace users as records. */
    public List<SimUser> userRecords() {
        return users.all();
    }
}
