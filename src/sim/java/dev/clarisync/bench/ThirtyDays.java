package dev.clarisync.bench;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.clarisync.camel.ConnectorApplication;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.SettingsSource;
import dev.clarisync.sim.CallStatus;
import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.sync.StreamCatalog;
import dev.clarisync.sync.SyncOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Weeks of a workspace's life in seconds (issue 13): the connector (in process, its real routes and a real DuckDB
 * file) and the simulator share one clock the run moves by hand. A sync every 6 simulated hours; during the active
 * days new calls arrive every day, pending calls finish, a CRM field of some recent calls' list records is edited
 * (which moves no {@code last_modified_time}) and some recent calls' summaries are regenerated; then quiet days of
 * syncs only, so every call has lived out its re-checks. Measures the {@code /call-details} requests per new call,
 * the latency of every list edit and regenerated summary, and checks the warehouse against the simulator at the end.
 * {@code ReconciliationSimTest} runs it small; {@code bench/run.sh} runs it bigger:
 * {@code java -cp jar dev.clarisync.bench.ThirtyDays <initial calls> <new calls a day> <active days> <quiet days>}.
 */
public final class ThirtyDays {
    /** A Sunday (the start of a quota week). */
    public static final Instant T0 = Instant.parse("2026-03-01T06:00:00Z");
    static final Duration SYNC_EVERY = Duration.ofHours(6);
    static final Set<String> PENDING = Set.of("SCHEDULED", "INITIATED", "INPROGRESS", "WAITING_IN_QUEUE", "PROCESSING");
    static final Set<String> READY = StreamCatalog.READY;

    private ThirtyDays() {
    }

    /** A clock moved by hand. */
    public static final class ManualClock extends Clock {
        private volatile Instant now;

        public ManualClock(Instant now) {
            this.now = now;
        }

        public void set(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /**
     * What one simulated life measured.
     *
     * @param detailsPerCall   {@code /call-details} requests per finished new call over its life in the run
     * @param calls            finished new calls
     * @param worstListEdit    longest time from a list edit to its landing in {@code calls}
     * @param worstSummary     longest time from a regenerated summary to its landing in {@code call_details}
     * @param listRequestsPerDay {@code /calls} requests per simulated day
     * @param syncs            syncs run
     */
    public record Life(double detailsPerCall, long calls, Duration worstListEdit, int listEdits, Duration worstSummary, int summaries,
                       double listRequestsPerDay, int syncs) {
        public String line() {
            return String.format("%.3f /call-details requests per call (%d finished new calls); %d list edits, worst latency %s; "
                            + "%d regenerated summaries, worst latency %s; %.1f /calls requests a day; %d syncs", detailsPerCall, calls,
                    listEdits, worstListEdit, summaries, worstSummary, listRequestsPerDay, syncs);
        }
    }

    /** The connector's settings for a run against {@code sim}: the defaults, plus {@code extra}. */
    public static ConnectorApplication app(ClariSimulator sim, Path dir, Clock clock, Map<String, String> extra) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("clari.api.base-url", sim.baseUrl().toString());
        o.put("warehouse.url", "jdbc:duckdb:" + dir.resolve("sim.duckdb"));
        o.put("clari.api.rate-limit", "1000");
        o.put("clari.sync.start-date", "2015-01-01");
        o.put("clari.api.retry-delay", "PT0.01S");
        o.put("clari.api.max-retry-delay", "PT0.1S");
        o.put("clari.api.throttle-delay", "PT0.05S");
        o.put("clari.api.throttle-pause", "PT0.05S");
        if (!o.containsKey("routes.dir") && Files.isDirectory(Path.of("routes"))) {
            o.put("routes.dir", Path.of("routes").toAbsolutePath().toString());
        }
        o.putAll(extra);
        Map<String, String> env = Map.of("CLARI_API_KEY", sim.config().apiKey(), "CLARI_API_PASSWORD", sim.config().apiPassword());
        ConnectorSettings settings = ConnectorSettings.from(SettingsSource.resolve(o, env, dir), true);
        return ConnectorApplication.start(dev.clarisync.config.ConnectorPlan.of(settings), "sync", clock);
    }

    static Instant time(ClariSimulator sim, String id) {
        return Instant.parse(sim.data().listItem(id).path("time").asText());
    }

    /** The first column of the first row, as text; null when none. */
    public static String one(ConnectorApplication app, String sql, Object... binds) {
        List<Map<String, Object>> rows = app.warehouse().query(sql, binds);
        if (rows.isEmpty()) {
            return null;
        }
        Object v = rows.get(0).values().iterator().next();
        return v == null ? null : v.toString();
    }

    /** A stored column of one record; null while the table has no such column yet (no record had the field). */
    static String field(ConnectorApplication app, String table, String column, String id) {
        if (!app.warehouse().columns(table).contains(column)) {
            return null;
        }
        return one(app, "SELECT " + column + " FROM " + app.warehouse().table(table) + " WHERE id = ?", id);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }

    /**
     * Simulates {@code activeDays} days of a workspace with {@code newPerDay} new calls a day, then {@code quietDays} of
     * syncs only, at the default settings plus {@code extra}, in {@code dir}.
     */
    public static Life live(Path dir, int initialCalls, int newPerDay, int activeDays, int quietDays, Map<String, String> extra)
            throws Exception {
        ManualClock clock = new ManualClock(T0);
        SimulatorConfig config = SimulatorConfig.builder().callCount(initialCalls).userCount(6)
                .span(T0.minus(Duration.ofDays(20)), T0.minus(Duration.ofMinutes(10))).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            sim.data().useClock(clock);
            Map<String, AtomicLong> detailsRequests = new ConcurrentHashMap<>();
            AtomicLong listRequests = new AtomicLong();
            sim.shapeAnswers((path, params, status, answer) -> {
                if (path.equals("/call-details")) {
                    detailsRequests.computeIfAbsent(params.get("id").get(0), k -> new AtomicLong()).incrementAndGet();
                } else if (path.equals("/calls")) {
                    listRequests.incrementAndGet();
                }
                return answer;
            });
            SplittableRandom random = new SplittableRandom(13);
            Set<String> created = new HashSet<>();
            Map<String, Instant> listEdits = new LinkedHashMap<>(); // pending: id -> first unlanded edit
            Map<String, String> listEditValue = new LinkedHashMap<>();
            Map<String, Instant> summaries = new LinkedHashMap<>();
            Duration worstList = Duration.ZERO;
            Duration worstSummary = Duration.ZERO;
            int listEditCount = 0;
            int summaryCount = 0;
            int steps = (activeDays + quietDays) * 4;
            try (ConnectorApplication app = app(sim, dir, clock, extra)) {
                for (int step = 0; step <= steps; step++) {
                    Instant at = T0.plus(SYNC_EVERY.multipliedBy(step));
                    if (step > 0 && step < activeDays * 4) {
                        clock.set(at.minus(Duration.ofMinutes(40)));
                        // the day's new calls, spread over the day's four syncs
                        created.addAll(sim.data().addCalls(newPerDay / 4 + (step % 4 < newPerDay % 4 ? 1 : 0)));
                        clock.set(at.minus(Duration.ofMinutes(30)));
                        Instant now = at.minus(Duration.ofMinutes(30));
                        List<String> recentFinished = new ArrayList<>();
                        for (String id : sim.data().callIds()) {
                            Instant t = time(sim, id);
                            // the pipeline finishes a call an hour or more after its time
                            if (PENDING.contains(sim.data().status(id).name()) && t.isBefore(now.minus(Duration.ofHours(1)))) {
                                sim.data().changeStatus(id, CallStatus.PROCESSED);
                            } else if (sim.data().status(id).finished() && t.isAfter(now.minus(Duration.ofDays(6)))
                                    && t.isBefore(now.minus(Duration.ofHours(2)))) {
                                recentFinished.add(id);
                            }
                        }
                        clock.set(at.minus(Duration.ofMinutes(20)));
                        Instant editAt = at.minus(Duration.ofMinutes(20));
                        int edits = Math.max(1, newPerDay / 12);
                        for (int e = 0; e < edits && !recentFinished.isEmpty(); e++) {
                            if (random.nextInt(3) == 0) {
                                // a CRM field of the list record edited: last_modified_time does not move
                                String id = recentFinished.get(random.nextInt(recentFinished.size()));
                                String value = "stage-" + step + "-" + e;
                                sim.data().setExtraField(id, "crm_stage", new TextNode(value));
                                listEdits.putIfAbsent(id, editAt);
                                listEditValue.put(id, value);
                                listEditCount++;
                            }
                            if (random.nextInt(3) == 0) {
                                String id = recentFinished.get(random.nextInt(recentFinished.size()));
                                sim.data().reviseSummary(id);
                                summaries.putIfAbsent(id, editAt);
                                summaryCount++;
                            }
                        }
                    }
                    clock.set(at);
                    SyncOutcome outcome = app.syncOnce();
                    check(outcome.ok(), "sync at " + at + " failed: " + outcome.message());
                    for (var it = listEdits.entrySet().iterator(); it.hasNext(); ) {
                        var e = it.next();
                        if (listEditValue.get(e.getKey()).equals(field(app, "calls", "crm_stage", e.getKey()))) {
                            Duration latency = Duration.between(e.getValue(), at);
                            worstList = latency.compareTo(worstList) > 0 ? latency : worstList;
                            it.remove();
                        }
                    }
                    for (var it = summaries.entrySet().iterator(); it.hasNext(); ) {
                        var e = it.next();
                        String expected = sim.data().details(e.getKey()).path("summary").path("full_summary").asText();
                        if (expected.equals(field(app, "call_details", "summary__full_summary", e.getKey()))) {
                            Duration latency = Duration.between(e.getValue(), at);
                            worstSummary = latency.compareTo(worstSummary) > 0 ? latency : worstSummary;
                            it.remove();
                        }
                    }
                }
                check(listEdits.isEmpty(), "list edits never landed: " + listEdits);
                check(summaries.isEmpty(), "regenerated summaries never landed: " + summaries);
                checkExact(sim, app);
            }
            long finishedNew = created.stream().filter(id -> sim.data().status(id).finished()).count();
            long requests = created.stream().mapToLong(id -> detailsRequests.getOrDefault(id, new AtomicLong()).get()).sum();
            return new Life((double) requests / Math.max(1, finishedNew), finishedNew, worstList, listEditCount, worstSummary, summaryCount,
                    (double) listRequests.get() / (activeDays + quietDays), steps + 1);
        }
    }

    /** Every call's status and list field, and every finished call's summary and details field, as the simulator serves them. */
    static void checkExact(ClariSimulator sim, ConnectorApplication app) {
        List<String> ids = sim.data().callIds();
        check(Long.parseLong(one(app, "SELECT COUNT(*) FROM " + app.warehouse().table("calls"))) == ids.size(), "calls: count");
        long ready = 0;
        for (String id : ids) {
            var item = sim.data().listItem(id);
            String status = item.path("status").asText();
            check(status.equals(one(app, "SELECT status FROM " + app.warehouse().table("calls") + " WHERE id = ?", id)), id + ": status");
            check(java.util.Objects.equals(item.path("crm_stage").asText(null), field(app, "calls", "crm_stage", id)), id + ": crm_stage");
            if (READY.contains(status)) {
                ready++;
                var d = sim.data().details(id);
                check(java.util.Objects.equals(d.path("summary").path("full_summary").asText(null),
                        field(app, "call_details", "summary__full_summary", id)), id + ": summary");
                check(java.util.Objects.equals(d.path("crm_stage").asText(null), field(app, "call_details", "crm_stage", id)),
                        id + ": details crm_stage");
            }
        }
        check(Long.parseLong(one(app, "SELECT COUNT(*) FROM " + app.warehouse().table("call_details"))) == ready, "call_details: count");
        check(Long.parseLong(one(app, "SELECT COUNT(*) FROM " + app.warehouse().table("_details_backlog"))) == 0, "backlog not empty");
    }

    /** {@code ThirtyDays <initial calls> <new calls a day> <active days> <quiet days> [key=value ...]}: prints one line. */
    public static void main(String[] args) throws Exception {
        int initial = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int perDay = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int active = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int quiet = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        Map<String, String> extra = new LinkedHashMap<>();
        for (int i = 4; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            extra.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Path dir = Files.createTempDirectory("clarisync-30days");
        Life life = live(dir, initial, perDay, active, quiet, extra);
        System.out.println("thirty-days\t" + String.format("%.3f", life.detailsPerCall()) + "\t" + life.calls() + "\t"
                + life.worstListEdit().toMinutes() + "\t" + life.worstSummary().toMinutes() + "\t" + life.listEdits() + "\t"
                + life.summaries() + "\t" + String.format("%.1f", life.listRequestsPerDay()));
        System.out.println(life.line());
        System.exit(0);
    }
}
