package dev.clarisync.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates the details-only fields of a call ({@code deal_stage_live}, {@code transcript},
 * {@code summary}, {@code competitor_sentiments}) on request, from (seed, call id) for the transcript
 * and (seed, call id, details revision) for the AI-written parts, so that
 * {@link SimulatorData#reviseSummary(String)} changes them without anything being stored.
 */
final class DetailsFactory {
    private final long seed;
    private final UserDirectory users;

    DetailsFactory(long seed, UserDirectory users) {
        this.seed = seed;
        this.users = users;
    }

    /** Adds the details fields to a freshly rendered list item. */
    void addDetails(ObjectNode n, CallRecord c, CallShape s) {
        long idSeed = Seeds.mix(seed, Seeds.hash(c.id));
        SplittableRandom revision = new SplittableRandom(Seeds.mix(idSeed, 0x5EED, c.detailsRevision));
        if (s.hasDeal) {
            // the live stage is the stage before the call, or later: CRM edits since the call
            int before = indexOf(Texts.DEAL_STAGES, s.dealStageBefore);
            int live = Math.min(Texts.DEAL_STAGES.length - 1, before + revision.nextInt(3));
            if (c.dealStage != null) {
                live = before; // moved in the CRM: live at that stage now
            }
            n.put("deal_stage_live", Texts.DEAL_STAGES[live]);
        }
        ArrayNode transcript = n.putArray("transcript");
        ArrayNode sentiments;
        if (c.status.finished()) {
            List<double[]> turns = transcript(transcript, new SplittableRandom(Seeds.mix(idSeed, 0x7A1C)), c, s);
            n.set("summary", summary(revision, c, s));
            sentiments = n.putArray("competitor_sentiments");
            competitorSentiments(sentiments, revision, s, turns);
        } else {
            n.putArray("competitor_sentiments");
        }
    }

    private static int indexOf(String[] values, String v) {
        for (int i = 0; i < values.length; i++) {
            if (values[i].equals(v)) {
                return i;
            }
        }
        return 0;
    }

    /** Writes the turns; returns {start, personId} per turn for the sentiments. */
    private List<double[]> transcript(ArrayNode out, SplittableRandom r, CallRecord c, CallShape s) {
        List<CallShape.Person> speakers = s.speakers(c.status.botJoined());
        List<CallShape.Person> internal = new ArrayList<>();
        List<CallShape.Person> external = new ArrayList<>();
        for (CallShape.Person p : speakers) {
            (p.internal() ? internal : external).add(p);
        }
        int drawn = 10 + r.nextInt(71); // drawn even when overridden, so the rest of the call stays as it was
        int turns = c.transcriptTurns > 0 ? c.transcriptTurns : drawn;
        // times in hundredths of a second, so rounding can never break start < end <= next start
        long total = Math.max(turns * 200L, c.durationSeconds * 100L);
        long slot = total / turns;
        List<double[]> result = new ArrayList<>(turns);
        boolean repTurn = r.nextBoolean();
        for (int i = 0; i < turns; i++) {
            // turn i lives inside its own slot: start in the first 5%, end by 95%, so turns never overlap
            long t = i * slot + r.nextInt((int) Math.max(1, slot / 20));
            long end = t + (long) (slot * (0.5 + r.nextDouble() * 0.4));
            List<CallShape.Person> side = (repTurn || external.isEmpty()) ? internal : external;
            CallShape.Person speaker = side.get(r.nextInt(side.size()));
            String text = Seeds.pick(r, speaker.internal() ? Texts.REP_LINES : Texts.PROSPECT_LINES);
            ObjectNode turn = out.addObject();
            turn.put("text", text);
            turn.put("start", t / 100.0);
            turn.put("end", end / 100.0);
            turn.put("personId", speaker.personId);
            turn.putArray("annotations");
            result.add(new double[] {t / 100.0, speaker.personId});
            if (r.nextDouble() < 0.7) {
                repTurn = !repTurn;
            }
        }
        return result;
    }

    private ObjectNode summary(SplittableRandom r, CallRecord c, CallShape s) {
        ObjectNode summary = JsonNodeFactory.instance.objectNode();
        List<String> takeaways = new ArrayList<>();
        int k = 2 + r.nextInt(3);
        int first = r.nextInt(Texts.TAKEAWAYS.length);
        for (int i = 0; i < k; i++) {
            takeaways.add(Texts.TAKEAWAYS[(first + i) % Texts.TAKEAWAYS.length]);
        }
        StringBuilder full = new StringBuilder();
        full.append(s.account != null ? "Call with " + s.account + ". " : "Internal meeting. ");
        full.append(String.join(" ", takeaways));
        if (c.detailsRevision > 0) {
            // guarantees that a revision is visible even when the random picks coincide
            full.append(" (Summary regenerated, revision ").append(c.detailsRevision).append(".)");
        }
        summary.put("full_summary", full.toString());
        summary.put("key_takeaways", "- " + String.join("\n- ", takeaways));
        ArrayNode topics = summary.putArray("topics_discussed");
        int topicCount = 2 + r.nextInt(4);
        int seconds = c.durationSeconds;
        int firstTopic = r.nextInt(Texts.TOPICS.length);
        for (int i = 0; i < topicCount; i++) {
            ObjectNode t = topics.addObject();
            t.put("name", Texts.TOPICS[(firstTopic + i) % Texts.TOPICS.length]);
            t.put("start_timestamp", clock(seconds * i / topicCount));
            t.put("end_timestamp", clock(seconds * (i + 1) / topicCount));
            t.put("summary", "Discussed " + Texts.TOPICS[(firstTopic + i) % Texts.TOPICS.length].toLowerCase()
                    + ". " + Seeds.pick(r, Texts.TAKEAWAYS));
        }
        ArrayNode actions = summary.putArray("key_action_items");
        int actionCount = 1 + r.nextInt(4);
        List<CallShape.Person> speakers = s.speakers(true);
        for (int i = 0; i < actionCount; i++) {
            ObjectNode a = actions.addObject();
            a.put("action_item", Seeds.pick(r, Texts.ACTION_ITEMS));
            CallShape.Person speaker = speakers.get(r.nextInt(speakers.size()));
            if (speaker.name != null) {
                a.put("speaker_name", speaker.name);
            }
            a.put("owner_name", users.get(c.users[r.nextInt(c.users.length)]).name());
            int at = r.nextInt(Math.max(1, seconds));
            a.put("start_timestamp", clock(at));
            a.put("end_timestamp", clock(Math.min(seconds, at + 5 + r.nextInt(40))));
            a.put("reasoning", "Committed to during the call: \"" + Seeds.pick(r, Texts.REP_LINES) + "\"");
            a.put("timeline", Seeds.pick(r, Texts.TIMELINES));
        }
        return summary;
    }

    private static void competitorSentiments(ArrayNode out, SplittableRandom r, CallShape s, List<double[]> turns) {
        if (s.externals.isEmpty() || r.nextDouble() < 0.6) {
            return;
        }
        int k = 1 + r.nextInt(2);
        for (int i = 0; i < k; i++) {
            double[] turn = turns.get(r.nextInt(turns.size()));
            ObjectNode o = out.addObject();
            o.put("competitor_name", Seeds.pick(r, Texts.COMPETITORS));
            o.put("sentiment", Seeds.pick(r, Texts.SENTIMENTS));
            o.put("reasoning", "Mentioned while comparing tools: \"" + Seeds.pick(r, Texts.PROSPECT_LINES) + "\"");
            // the API sends this personId as a string, unlike everywhere else
            o.put("personId", Integer.toString((int) turn[1]));
            o.put("turn_start_time", turn[0]);
        }
    }

    /** "mm:ss" or "h:mm:ss": the API leaves the format undocumented, so it is plain text here too. */
    private static String clock(int seconds) {
        int h = seconds / 3600;
        int m = seconds % 3600 / 60;
        int sec = seconds % 60;
        return h > 0 ? String.format("%d:%02d:%02d", h, m, sec) : String.format("%02d:%02d", m, sec);
    }
}
