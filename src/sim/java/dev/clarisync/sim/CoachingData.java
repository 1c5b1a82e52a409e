package dev.clarisync.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Test hooks on the simulator's coaching objects: scorecards ({@code GET /scorecard}), scorecard templates
 * ({@code GET /scorecard-template}) and topics ({@code GET /v2/topics}). Thread-safe; a change takes effect for the
 * next request, and a request in flight sees the state before or after it, never half of it.
 *
 * <p>Generated at start from the seed: about a third of the finished calls have a
 * scorecard (the organiser is the rep; the scorer is their manager or the head of sales), a tenth of those a
 * second one by the head of sales; three templates; ten keyword topics and four custom ones.
 */
public final class CoachingData {
    private final CoachingStore store;
    private final CallStore calls;

    CoachingData(CoachingStore store, CallStore calls) {
        this.store = store;
        this.calls = calls;
    }

    /** Every scorecard as {@code /scorecard} serves it now, in creation order (not the list's order). */
    public List<ObjectNode> scorecards() {
        return store.allScorecards();
    }

    /** Every template as {@code /scorecard-template} serves it now. */
    public List<ObjectNode> templates() {
        return store.templates();
    }

    /** Every topic as an unfiltered {@code /v2/topics} serves it now. */
    public List<ObjectNode> topics() {
        return store.topics(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** A topic's hidden modified time (what {@code filterModifiedGt/Lt} compare with). */
    public Instant topicModified(String topicId) {
        return Instant.ofEpochMilli(store.modified(topicId));
    }

    /**
     * Scores a call now: a new scorecard by its organiser's manager (or the head of sales) on one of the templates. It
     * sorts by the call's time, so a scorecard for an old call appears below offsets a client may have read already.
     *
     * @return the scorecard's id
     * @throws IllegalArgumentException for an unknown call id
     */
    public String addScorecard(String callId) {
        CallRecord call = calls.read(() -> calls.require(callId));
        return store.addScorecard(call);
    }

    /** Scores the {@code n} most recent finished calls once more each; returns the new ids. */
    public List<String> addScorecardsToRecentCalls(int n) {
        List<CallRecord> recent = calls.read(() -> {
            List<CallRecord> out = new ArrayList<>();
            for (String id : calls.liveIds()) {
                CallRecord c = calls.find(id);
                if (c.status.finished()) {
                    out.add(c);
                }
            }
            out.sort((a, b) -> Long.compare(b.time, a.time));
            return out.subList(0, Math.min(n, out.size()));
        });
        List<String> ids = new ArrayList<>();
        recent.forEach(c -> ids.add(store.addScorecard(c)));
        return ids;
    }

    /** Re-scores a scorecard: new scores, total and remark; same id, call, rep, scorer and template. */
    public void editScorecard(String id) {
        store.editScorecard(id);
    }

    /** Removes a scorecard from {@code /scorecard}. */
    public void deleteScorecard(String id) {
        store.deleteScorecard(id);
    }

    /**
     * Adds a template with these (skill, label) questions.
     *
     * @return its id
     */
    public String addTemplate(String name, List<String[]> skillAndLabel) {
        Objects.requireNonNull(name, "name");
        return store.addTemplate(name, List.copyOf(skillAndLabel));
    }

    /** Renames a template. */
    public void renameTemplate(String id, String name) {
        store.renameTemplate(id, Objects.requireNonNull(name, "name"));
    }

    /** Removes a template from {@code /scorecard-template} (its scorecards stay, pointing at it). */
    public void deleteTemplate(String id) {
        store.deleteTemplate(id);
    }

    /**
     * Adds a custom topic, modified now.
     *
     * @return its topic_id
     */
    public String addTopic(String name, String description) {
        return store.addTopic(Objects.requireNonNull(name, "name"), Objects.requireNonNull(description, "description"));
    }

    /** Renames a topic and moves its hidden modified time to now (strictly later than before); returns that time. */
    public Instant editTopic(String id, String name) {
        return Instant.ofEpochMilli(store.editTopic(id, Objects.requireNonNull(name, "name")));
    }

    /** Removes a topic: gone from every {@code /v2/topics} answer, filtered or not. */
    public void deleteTopic(String id) {
        store.deleteTopic(id);
    }

    /** Ids of every scorecard, in creation order. */
    public List<String> scorecardIds() {
        return store.scorecardIds();
    }

    /** Ids of every template. */
    public List<String> templateIds() {
        return store.templateIds();
    }

    /** topic_ids of every topic. */
    public List<String> topicIds() {
        return store.topicIds();
    }
}
