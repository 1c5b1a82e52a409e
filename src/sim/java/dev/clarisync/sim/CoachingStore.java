package dev.clarisync.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The coaching objects: scorecard templates, scorecards of existing calls by existing users, and topics, generated
 * from the seed. Small records; the JSON is rendered on request. Every method is synchronized: the data is small, a
 * request sees one consistent state, and test hooks change it while a client reads.
 *
 * <p>Choices the spec leaves open (stated in the README):
 * <ul>
 *   <li>{@code filterTimeGt/Lt} of {@code /scorecard} bound the <b>scored call's {@code time}</b> (a scorecard carries
 *       no time of its own); both strict. The list is ordered by that time, newest first, then by id.</li>
 *   <li>{@code total_score} is the mean of the answered questions' scores (1..5), to two decimals; a whole mean is
 *       sent as an integer ({@code 4}, not {@code 4.0}), as JSON producers do.</li>
 *   <li>Topics carry no modified time; {@code filterModifiedGt/Lt} bound a hidden one (strict). Removals are only
 *       visible to an unfiltered read.</li>
 * </ul>
 */
final class CoachingStore {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final long DAY = 86_400_000L;
    /** Share of finished calls with a scorecard. */
    static final double SCORED_SHARE = 0.35;

    /** Remarks a reviewer writes; several break naive quoting, escaping or encodings. */
    static final String[] REMARKS = {
        "Great discovery, let the prospect talk.",
        "Talked over the prospect twice; \"let them finish\".",
        "Next step was vague:\nagree a date next time.",
        "Pricing objection handled well — naïve café résumé 👍",
        "Robert'); DROP TABLE scorecards; --",
        "<script>alert('coach')</script> & <b>bold</b>",
        "Tab\tand backslash \\ and 100% {0} ${jndi:ldap://x}",
        "需要更多地提问。",
        "",
    };

    /** Template questions: skill, label. Skills repeat across templates, so per-skill figures combine. */
    private static final String[][][] TEMPLATE_QUESTIONS = {
        {{"Discovery", "Did the rep uncover the prospect's current process?"},
         {"Active listening", "Did the rep let the prospect talk (talk/listen under 60%)?"},
         {"Qualification", "Were budget, authority, need and timeline covered?"},
         {"Next steps", "Was a dated next step agreed?"}},
        {{"Product knowledge", "Were questions answered without \"I'll check\"?"},
         {"Storytelling", "Did the demo follow the prospect's use case?"},
         {"Objection handling", "How was 'too expensive' handled?"},
         {"Next steps", "Was a dated next step agreed?"}},
        {{"Objection handling", "Were objections restated before answering?"},
         {"Negotiation", "Was every concession traded for something?"},
         {"Closing", "Did the rep ask for the decision?\nWho signs?"}},
    };
    private static final String[] TEMPLATE_NAMES = {"Discovery call", "Demo \"excellence\" <v2>", "Negotiation & closing"};
    private static final String[] TOPIC_DESCRIPTIONS = {
        "Prospect mentions a budget, a price or a discount",
        "Talk of switching from a competitor; e.g. \"we use Gong\"",
        "Security & compliance (SOC 2, GDPR, <DPA>)",
        "Renewal risk: 'cancel', \"churn\", ending the contract",
    };

    static final class Template {
        final String id;
        String name;
        final String type;
        final List<String[]> questions = new ArrayList<>();

        Template(String id, String name, String type) {
            this.id = id;
            this.name = name;
            this.type = type;
        }
    }

    static final class Scorecard {
        final String id;
        final String callId;
        final long callTime;
        final String rep;
        final String scorer;
        final Template template;
        final long seed;
        int revision;

        Scorecard(String id, String callId, long callTime, String rep, String scorer, Template template, long seed) {
            this.id = id;
            this.callId = callId;
            this.callTime = callTime;
            this.rep = rep;
            this.scorer = scorer;
            this.template = template;
            this.seed = seed;
        }
    }

    static final class Topic {
        final String id;
        final long seed;
        /** The custom topic's description, or null for a keyword topic. */
        final String description;
        String name;
        long modified;
        int revision;

        Topic(String id, long seed, String description, String name, long modified) {
            this.id = id;
            this.seed = seed;
            this.description = description;
            this.name = name;
            this.modified = modified;
        }
    }

    private final long seed;
    private final UserDirectory users;
    private final String customerId;
    private final Map<String, Template> templates = new LinkedHashMap<>();
    private final Map<String, Scorecard> scorecards = new LinkedHashMap<>();
    private final Map<String, Topic> topics = new LinkedHashMap<>();
    /** Scorecards newest call first, then id; null after a change. */
    private List<Scorecard> order;
    private int created;

    CoachingStore(long seed, long end, CallStore calls, UserDirectory users) {
        this.seed = seed;
        this.users = users;
        this.customerId = Seeds.digits(Seeds.random(seed, 0xC057L), 6);
        for (int t = 0; t < TEMPLATE_NAMES.length; t++) {
            Template tpl = new Template(Seeds.uuid(Seeds.mix(seed, 0x7E3L, t)), TEMPLATE_NAMES[t], t == 2 ? null : "CALL");
            for (String[] q : TEMPLATE_QUESTIONS[t]) {
                tpl.questions.add(q);
            }
            templates.put(tpl.id, tpl);
        }
        calls.read(() -> {
            for (String callId : calls.liveIds()) {
                CallRecord c = calls.find(callId);
                SplittableRandom r = new SplittableRandom(Seeds.mix(seed, 0x5C0EL, c.index));
                if (c.status.finished() && r.nextDouble() < SCORED_SHARE) {
                    addFor(c, r);
                }
            }
            return null;
        });
        SplittableRandom r = Seeds.random(seed, 0x70B1CL);
        for (int i = 0; i < Texts.CATEGORIES.length + TOPIC_DESCRIPTIONS.length; i++) {
            String description = i < Texts.CATEGORIES.length ? null : TOPIC_DESCRIPTIONS[i - Texts.CATEGORIES.length];
            String name = description == null ? Texts.CATEGORIES[i] : description.split("[;(:,]")[0].trim();
            addTopic(description, name, end - (long) (r.nextDouble() * 120 * DAY));
        }
    }

    /** Scores call {@code c} (the caller holds the call store's lock): one scorecard, sometimes a second. */
    private void addFor(CallRecord c, SplittableRandom r) {
        int rep = c.users[0];
        int scorer = scorerOf(rep, r);
        if (scorer < 0) {
            return;
        }
        List<Template> list = new ArrayList<>(templates.values());
        if (list.isEmpty()) {
            return;
        }
        Template first = list.get(r.nextInt(list.size()));
        add(c, rep, scorer, first);
        if (r.nextDouble() < 0.1 && list.size() > 1 && scorer != 0 && rep != 0) {
            add(c, rep, 0, list.get((list.indexOf(first) + 1) % list.size())); // the head of sales reviews it too
        }
    }

    /** The rep's manager, else the head of sales, else another user; -1 when nobody else exists. */
    private int scorerOf(int rep, SplittableRandom r) {
        String managerId = users.get(rep).managerId();
        int manager = managerId == null ? -1 : users.indexOf(managerId);
        if (manager >= 0 && manager != rep && r.nextDouble() < 0.8) {
            return manager;
        }
        if (rep != 0) {
            return 0;
        }
        return users.all().size() > 1 ? 1 : -1;
    }

    private Scorecard add(CallRecord c, int rep, int scorer, Template t) {
        long s = Seeds.mix(seed, 0x5C0E5L, created++);
        Scorecard sc = new Scorecard(Seeds.uuid(s), c.id, c.time, users.get(rep).id(), users.get(scorer).id(), t, s);
        scorecards.put(sc.id, sc);
        order = null;
        return sc;
    }

    private Topic addTopic(String description, String name, long modified) {
        long s = Seeds.mix(seed, 0x70B1C5L, topics.size() + created++);
        Topic t = new Topic(Seeds.uuid(s), s, description, name, modified);
        topics.put(t.id, t);
        return t;
    }

    // ---- reads ----

    /** One answered page and the number of matches. */
    record Page(List<ObjectNode> items, int matched) {
    }

    synchronized Page scorecards(CoachingQuery q) {
        if (order == null) {
            order = new ArrayList<>(scorecards.values());
            order.sort(Comparator.<Scorecard>comparingLong(s -> -s.callTime).thenComparing(s -> s.id));
        }
        List<ObjectNode> items = new ArrayList<>();
        int matched = 0;
        for (Scorecard s : order) {
            if (s.callTime <= q.timeGt || s.callTime >= q.timeLt || (q.rep != null && !q.rep.equals(s.rep))
                    || (q.scorer != null && !q.scorer.equals(s.scorer))) {
                continue;
            }
            if (matched >= q.skip && items.size() < q.limit) {
                items.add(render(s));
            }
            matched++;
        }
        return new Page(items, matched);
    }

    synchronized List<ObjectNode> templates() {
        List<ObjectNode> out = new ArrayList<>();
        templates.values().forEach(t -> out.add(render(t)));
        return out;
    }

    synchronized List<ObjectNode> topics(long modifiedGt, long modifiedLt) {
        List<ObjectNode> out = new ArrayList<>();
        for (Topic t : topics.values()) {
            if (t.modified > modifiedGt && t.modified < modifiedLt) {
                out.add(render(t));
            }
        }
        return out;
    }

    synchronized List<ObjectNode> allScorecards() {
        List<ObjectNode> out = new ArrayList<>();
        scorecards.values().forEach(s -> out.add(render(s)));
        return out;
    }

    synchronized long modified(String topicId) {
        return requireTopic(topicId).modified;
    }

    // ---- rendering ----

    private ObjectNode render(Scorecard s) {
        SplittableRandom r = new SplittableRandom(Seeds.mix(s.seed, s.revision));
        ObjectNode n = JSON.objectNode();
        n.put("id", s.id);
        double kind = r.nextDouble();
        if (kind < 0.95) {
            n.put("type", kind < 0.85 ? "MANUAL" : "AI");
        }
        n.put("rep", s.rep);
        n.put("scorer", s.scorer);
        n.put("template_id", s.template.id);
        n.put("call_id", s.callId);
        // each rep has a level of their own; a reviewer is a little kinder on some days
        double level = 2.2 + 2.2 * ((Seeds.hash(s.rep) >>> 11) * 0x1.0p-53);
        ArrayNode scores = JSON.arrayNode();
        int sum = 0;
        int answered = 0;
        for (int i = 0; i < s.template.questions.size(); i++) {
            String[] q = s.template.questions.get(i);
            ObjectNode qs = scores.addObject();
            if (r.nextDouble() < 0.95) { // an unanswered question ("N/A") has no score
                // some skills come easier than others, the same for everyone
                double skillBias = (Math.floorMod(Seeds.hash(q[0]), 9) - 4) * 0.15;
                int score = (int) Math.max(1, Math.min(5, Math.round(level + skillBias + r.nextGaussian() * 0.9)));
                qs.put("score", score);
                sum += score;
                answered++;
            }
            qs.put("skill", q[0]);
            qs.put("label", q[1]);
            qs.put("order", String.valueOf(i + 1));
        }
        if (answered > 0) {
            long hundredths = Math.round(sum * 100.0 / answered);
            if (hundredths % 100 == 0) {
                n.put("total_score", (int) (hundredths / 100));
            } else {
                n.put("total_score", hundredths / 100.0);
            }
        }
        double remark = r.nextDouble();
        if (remark < 0.7) {
            n.put("remark", REMARKS[r.nextInt(REMARKS.length)] + (s.revision > 0 ? " (revised " + s.revision + ")" : ""));
        }
        n.set("questions_score", scores);
        return n;
    }

    private ObjectNode render(Template t) {
        ObjectNode n = JSON.objectNode();
        n.put("id", t.id);
        n.put("customer_id", customerId);
        n.put("name", t.name);
        if (t.type != null) {
            n.put("type", t.type);
        }
        ArrayNode qs = n.putArray("questions");
        for (int i = 0; i < t.questions.size(); i++) {
            qs.addObject().put("skill", t.questions.get(i)[0]).put("label", t.questions.get(i)[1]).put("order", String.valueOf(i + 1));
        }
        return n;
    }

    private ObjectNode render(Topic t) {
        SplittableRandom r = new SplittableRandom(Seeds.mix(t.seed, t.revision));
        ObjectNode n = JSON.objectNode();
        n.put("topic_id", t.id);
        n.put("topic_name", t.name);
        n.put("type", t.description != null ? "CUSTOM" : "KEYWORD");
        ArrayNode teams = n.putArray("team_ids");
        for (SimUser u : users.all()) {
            if ("MANAGER".equals(u.role()) && u.managerId() != null && r.nextDouble() < 0.4) {
                teams.add(u.id());
            }
        }
        if (t.description != null) {
            ObjectNode c = n.putObject("custom_topic");
            c.put("description", t.description);
            if (r.nextDouble() < 0.9) {
                c.put("status", r.nextDouble() < 0.8 ? "ACTIVE" : "INACTIVE");
            }
        } else {
            ArrayNode trackers = n.putObject("keyword_topic").putArray("trackers");
            int k = 1 + r.nextInt(4);
            for (int i = 0; i < k; i++) {
                trackers.add(Seeds.pick(r, Texts.PHRASES));
            }
        }
        return n;
    }

    // ---- mutations (hooks) ----

    synchronized String addScorecard(CallRecord call) {
        SplittableRandom r = new SplittableRandom(Seeds.mix(seed, 0xADD5CL, created));
        int rep = call.users[0];
        int scorer = scorerOf(rep, r);
        if (scorer < 0 || templates.isEmpty()) {
            throw new IllegalStateException("no user can score call " + call.id);
        }
        List<Template> list = new ArrayList<>(templates.values());
        return add(call, rep, scorer, list.get(r.nextInt(list.size()))).id;
    }

    synchronized void editScorecard(String id) {
        requireScorecard(id).revision++;
    }

    synchronized void deleteScorecard(String id) {
        requireScorecard(id);
        scorecards.remove(id);
        order = null;
    }

    synchronized String addTemplate(String name, List<String[]> questions) {
        Template t = new Template(Seeds.uuid(Seeds.mix(seed, 0x7E3L, 1000 + created++)), name, "CALL");
        t.questions.addAll(questions);
        templates.put(t.id, t);
        return t.id;
    }

    synchronized void renameTemplate(String id, String name) {
        Template t = templates.get(id);
        if (t == null) {
            throw new IllegalArgumentException("unknown scorecard template id: " + id);
        }
        t.name = name;
    }

    synchronized void deleteTemplate(String id) {
        if (templates.remove(id) == null) {
            throw new IllegalArgumentException("unknown scorecard template id: " + id);
        }
    }

    synchronized String addTopic(String name, String description) {
        return addTopic(description, name, stamp(Long.MIN_VALUE + 1)).id;
    }

    synchronized long editTopic(String id, String name) {
        Topic t = requireTopic(id);
        t.name = name;
        t.revision++;
        t.modified = stamp(t.modified);
        return t.modified;
    }

    synchronized void deleteTopic(String id) {
        requireTopic(id);
        topics.remove(id);
    }

    synchronized List<String> scorecardIds() {
        return List.copyOf(scorecards.keySet());
    }

    synchronized List<String> templateIds() {
        return List.copyOf(templates.keySet());
    }

    synchronized List<String> topicIds() {
        return List.copyOf(topics.keySet());
    }

    private static long stamp(long previous) {
        return CallStore.stamp(previous);
    }

    private Scorecard requireScorecard(String id) {
        Scorecard s = scorecards.get(id);
        if (s == null) {
            throw new IllegalArgumentException("unknown scorecard id: " + id);
        }
        return s;
    }

    private Topic requireTopic(String id) {
        Topic t = topics.get(id);
        if (t == null) {
            throw new IllegalArgumentException("unknown topic id: " + id);
        }
        return t;
    }
}
