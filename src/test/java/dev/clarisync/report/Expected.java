package dev.clarisync.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.sim.CoachingData;
import dev.clarisync.sim.SimUser;
import dev.clarisync.sim.SimulatorData;
import dev.clarisync.sync.StreamCatalog;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The figures the views should show, computed in plain Java from the simulator's own data (the JSON it serves),
 * independently of the connector and of SQL.
 */
final class Expected {
    final Map<String, ObjectNode> calls = new TreeMap<>();
    final Map<String, ObjectNode> details = new TreeMap<>();
    final List<SimUser> users;
    /** Scorecards and templates as the simulator serves them (empty when made from call data only). */
    final List<ObjectNode> scorecards = new ArrayList<>();
    final Map<String, ObjectNode> templates = new TreeMap<>();

    Expected(SimulatorData data, CoachingData coaching) {
        this(data);
        scorecards.addAll(coaching.scorecards());
        coaching.templates().forEach(t -> templates.put(t.path("id").asText(), t));
    }

    Expected(SimulatorData data) {
        for (String id : data.callIds()) {
            ObjectNode call = data.listItem(id);
            calls.put(id, call);
            if (StreamCatalog.READY.contains(call.path("status").asText())) {
                details.put(id, data.details(id));
            }
        }
        users = data.userRecords();
    }

    static LocalDate weekStart(JsonNode call) {
        LocalDate day = Instant.parse(call.path("time").asText()).atZone(ZoneOffset.UTC).toLocalDate();
        return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    /** Distinct internal user ids of a call. */
    static Set<String> userIds(JsonNode call) {
        Set<String> ids = new LinkedHashSet<>();
        call.path("users").forEach(u -> {
            if (u.hasNonNull("userId")) {
                ids.add(u.path("userId").asText());
            }
        });
        return ids;
    }

    /** Running figures over a set of calls. */
    static final class Agg {
        long calls;
        long withMetrics;
        double ratioSum;
        long questionsByReps;
        long engaging;
        double longestMonologue = -1;
        double speaking;

        void add(JsonNode call) {
            calls++;
            JsonNode m = call.path("metrics");
            if (m.hasNonNull("talk_listen_ratio")) {
                withMetrics++;
                ratioSum += m.path("talk_listen_ratio").asDouble();
            }
            questionsByReps += m.path("num_questions_asked_by_reps").asLong(0);
            engaging += m.path("engaging_questions").asLong(0);
            if (m.hasNonNull("longest_monologue_duration")) {
                longestMonologue = Math.max(longestMonologue, m.path("longest_monologue_duration").asDouble());
            }
            speaking += m.path("total_speak_duration").asDouble(0);
        }

        Double avgRatio() {
            return withMetrics == 0 ? null : ratioSum / withMetrics;
        }
    }

    /** user id → week start → figures of the calls the user was on. */
    Map<String, Map<LocalDate, Agg>> perRepWeek() {
        Map<String, Map<LocalDate, Agg>> out = new TreeMap<>();
        calls.values().forEach(call -> {
            for (String user : userIds(call)) {
                out.computeIfAbsent(user, u -> new TreeMap<>()).computeIfAbsent(weekStart(call), w -> new Agg()).add(call);
            }
        });
        return out;
    }

    /** manager id → everyone below them in the manager tree, and the manager; only for managers with reports. */
    Map<String, Set<String>> teams() {
        Map<String, List<String>> reports = new HashMap<>();
        for (SimUser u : users) {
            if (u.managerId() != null) {
                reports.computeIfAbsent(u.managerId(), m -> new ArrayList<>()).add(u.id());
            }
        }
        Map<String, Set<String>> teams = new TreeMap<>();
        for (String manager : reports.keySet()) {
            Set<String> team = new HashSet<>();
            List<String> todo = new ArrayList<>(List.of(manager));
            while (!todo.isEmpty()) {
                String next = todo.remove(todo.size() - 1);
                if (team.add(next)) {
                    todo.addAll(reports.getOrDefault(next, List.of()));
                }
            }
            teams.put(manager, team);
        }
        return teams;
    }

    /** manager id → week start → figures of the distinct calls any team member was on. */
    Map<String, Map<LocalDate, Agg>> perTeamWeek() {
        Map<String, Map<LocalDate, Agg>> out = new TreeMap<>();
        teams().forEach((manager, team) -> calls.values().forEach(call -> {
            if (userIds(call).stream().anyMatch(team::contains)) {
                out.computeIfAbsent(manager, m -> new TreeMap<>()).computeIfAbsent(weekStart(call), w -> new Agg()).add(call);
            }
        }));
        return out;
    }

    static String dealKey(JsonNode call) {
        String id = call.path("crm_info").path("deal_id").asText("");
        return !id.isEmpty() ? id : call.path("deal_name").asText("").isEmpty() ? null : call.path("deal_name").asText();
    }

    /** Ids of a deal's calls in time order (then id). */
    List<String> dealCalls(String dealKey) {
        return calls.values().stream().filter(c -> dealKey.equals(dealKey(c)))
                .sorted(Comparator.comparing((JsonNode c) -> Instant.parse(c.path("time").asText())).thenComparing(c -> c.path("id").asText()))
                .map(c -> c.path("id").asText()).toList();
    }

    /** Figures of a set of scorecards: count, total scores, and answers per skill (null key: every answer). */
    static final class Coaching {
        long scorecards;
        long scored;
        double totalSum;
        final Map<String, long[]> skillScorecards = new TreeMap<>();
        final Map<String, double[]> answers = new HashMap<>(); // skill (or "*") -> {answers, sum}

        void add(JsonNode scorecard) {
            scorecards++;
            if (scorecard.hasNonNull("total_score")) {
                scored++;
                totalSum += scorecard.path("total_score").asDouble();
            }
            Set<String> skills = new HashSet<>();
            for (JsonNode q : scorecard.path("questions_score")) {
                String skill = q.path("skill").asText("(no skill)");
                skills.add(skill);
                if (q.hasNonNull("score")) {
                    for (String k : List.of(skill, "*")) {
                        double[] a = answers.computeIfAbsent(k, x -> new double[2]);
                        a[0]++;
                        a[1] += q.path("score").asDouble();
                    }
                }
            }
            skills.forEach(k -> skillScorecards.computeIfAbsent(k, x -> new long[1])[0]++);
        }

        Double avgTotal() {
            return scored == 0 ? null : totalSum / scored;
        }

        /** Average answer of a skill ("*": of every answer), or null when none. */
        Double avgScore(String skill) {
            double[] a = answers.get(skill);
            return a == null || a[0] == 0 ? null : a[1] / a[0];
        }

        long answers(String skill) {
            double[] a = answers.get(skill);
            return a == null ? 0 : (long) a[0];
        }
    }

    /** rep id → week start of the scored call → figures of the rep's scorecards. */
    Map<String, Map<LocalDate, Coaching>> perRepWeekCoaching() {
        Map<String, Map<LocalDate, Coaching>> out = new TreeMap<>();
        for (ObjectNode s : scorecards) {
            LocalDate week = weekStart(calls.get(s.path("call_id").asText()));
            out.computeIfAbsent(s.path("rep").asText(), r -> new TreeMap<>()).computeIfAbsent(week, w -> new Coaching()).add(s);
        }
        return out;
    }

    long actionItems() {
        return details.values().stream().mapToLong(d -> d.path("summary").path("key_action_items").size()).sum();
    }

    long transcriptTurns() {
        return details.values().stream().mapToLong(d -> d.path("transcript").size()).sum();
    }
}
