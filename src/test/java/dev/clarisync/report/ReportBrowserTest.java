package dev.clarisync.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clarisync.SyncHarness;
import dev.clarisync.schema.Flattener;
import dev.clarisync.warehouse.Warehouse;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless Chromium: it draws every chart from the embedded data, throws nothing, logs no
 * error, fetches nothing but its own file, re-draws on a date range, and shows hostile text as text. Leaves a
 * screenshot in {@code target/report-screenshot.png}.
 */
class ReportBrowserTest {
    static final Path SCREENSHOT = Path.of("target", "report-screenshot.png");
    static final List<String> CHARTS = List.of("chart-talk-listen", "chart-calls-week", "chart-questions", "chart-deal-stages",
            "chart-stage-moves", "chart-coaching-reps", "chart-coaching-skills", "chart-coaching-trend", "table-action-items");
    private static final ObjectMapper JSON = new ObjectMapper();

    static HeadlessChromium chromium;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBrowser() throws Exception {
        chromium = HeadlessChromium.start(1400, 1000);
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    /** Opens a report and checks what every page must satisfy: rendered once, no errors, no requests but itself. */
    static void open(Path report) throws Exception {
        chromium.clearEvents();
        URI url = report.toUri();
        chromium.open(url);
        assertThat(chromium.eval("document.body.getAttribute('data-rendered')").asText()).isEqualTo("1");
        assertThat(chromium.errors()).as("console errors and exceptions").isEmpty();
        List<String> requested = new ArrayList<>();
        chromium.events("Network.requestWillBeSent").forEach(e -> requested.add(e.path("request").path("url").asText()));
        // the page itself, once; data: URLs (the date input's own calendar icon) never touch the network
        assertThat(requested).as("network requests").filteredOn(u -> !u.startsWith("data:")).containsExactly(url.toString());
        assertThat(chromium.eval("performance.getEntriesByType('resource').length").asInt()).as("resources loaded").isZero();
        assertThat(chromium.eval("document.scripts.length + document.images.length * 100 + document.querySelectorAll('iframe,object,embed,link').length * 1000")
                .asInt()).as("only the two script elements of the template").isEqualTo(2);
    }

    static Map<String, Integer> marks() throws Exception {
        JsonNode counts = chromium.eval("JSON.stringify(Array.from(document.querySelectorAll('[data-chart]'))"
                + ".map(function (c) { return [c.id, c.querySelectorAll('.mark').length]; }))");
        Map<String, Integer> out = new LinkedHashMap<>();
        JSON.readTree(counts.asText()).forEach(p -> out.put(p.get(0).asText(), p.get(1).asInt()));
        return out;
    }

    static String kpi(int i) throws Exception {
        return chromium.eval("document.querySelectorAll('#kpis .kpi .v')[" + i + "].textContent").asText();
    }

    @Test
    void should_draw_every_chart_with_data_and_re_draw_for_a_date_range() throws Exception {
        SyncHarness h = SyncedWarehouse.get();
        Path report;
        try (Warehouse w = SyncedWarehouse.open()) {
            report = ReportCommand.write(w, dir.resolve("report.html"));
        }
        open(report);
        Map<String, Integer> all = marks();
        assertThat(all.keySet()).containsExactlyElementsOf(CHARTS);
        assertThat(all.values()).as("marks per chart %s", all).allMatch(n -> n > 0);
        assertThat(all.get("table-action-items")).isEqualTo(ReportData.MAX_ACTION_ITEMS);
        assertThat(kpi(0)).isEqualTo(String.valueOf(SyncedWarehouse.CALLS));
        assertThat(chromium.eval("document.getElementById('freshness').textContent").asText())
                .contains("Last successful sync:", "Rows written:", "API requests:");

        assertLabelsClearOfReferenceLines(2);

        // the "4 weeks" preset: the last four weeks with calls
        Expected expected = new Expected(h.sim.data());
        LocalDate lastWeek = expected.calls.values().stream().map(Expected::weekStart).max(LocalDate::compareTo).orElseThrow();
        // stage movement is dated by the sync that saw it: the fixture's one sync runs after its calls (END is past), in
        // a later week, and sees every deal enter its stage; the panel draws one bar segment per week and stage
        JsonNode moves = ReportTest.embeddedData(Files.readString(report)).path("stageMoves");
        assertThat(moves.size()).isPositive();
        moves.forEach(m -> assertThat(m.get(0).asLong()).as("movement week %s", m).isGreaterThan(lastWeek.toEpochDay()));
        assertThat(all.get("chart-stage-moves")).isEqualTo(moves.size());
        long inFourWeeks = expected.calls.values().stream().filter(c -> !Expected.weekStart(c).isBefore(lastWeek.minusWeeks(3))).count();
        chromium.eval("document.querySelector('.presets button[data-weeks=\"4\"]').click()");
        assertThat(chromium.eval("document.body.getAttribute('data-rendered')").asText()).isEqualTo("2");
        assertThat(kpi(0)).isEqualTo(String.valueOf(inFourWeeks));
        assertThat(chromium.eval("document.getElementById('from').value").asText()).isEqualTo(lastWeek.minusWeeks(3).toString());
        Map<String, Integer> four = marks();
        assertThat(four.get("chart-calls-week")).isBetween(1, 8);
        assertThat(four.get("chart-stage-moves")).as("a range to the last week with calls runs on to later syncs")
                .isEqualTo(all.get("chart-stage-moves"));
        assertThat(four.get("table-action-items")).isLessThan(all.get("table-action-items"));

        // typing dates: one week only
        LocalDate week = lastWeek.minusWeeks(5);
        long inWeek = expected.calls.values().stream().filter(c -> Expected.weekStart(c).equals(week)).count();
        chromium.eval("(function () { var f = document.getElementById('from'), t = document.getElementById('to');"
                + " f.value = '" + week + "'; f.dispatchEvent(new Event('change'));"
                + " t.value = '" + week.plusDays(6) + "'; t.dispatchEvent(new Event('change')); }())");
        assertThat(kpi(0)).isEqualTo(String.valueOf(inWeek));
        Map<String, Integer> one = marks();
        assertThat(one.get("chart-calls-week")).isBetween(1, 2);
        // that week saw no sync: the panel says so
        assertThat(one.get("chart-stage-moves")).isZero();
        assertThat(chromium.eval("document.querySelector('#chart-stage-moves .empty').textContent").asText())
                .startsWith("No deal entered a stage in this range");

        // back to everything, and the picture people look at
        chromium.eval("document.querySelector('.presets button[data-weeks=\"0\"]').click()");
        assertThat(marks()).isEqualTo(all);
        assertThat(chromium.errors()).isEmpty();
        byte[] png = chromium.screenshot(1400);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, png);
        assertThat(png.length).isGreaterThan(50_000);
        assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    /**
     * In every bar chart with a reference (average) line, no value label lies on the line: a label is readable. Checks
     * the drawn boxes ({@code getBBox}), so it fails if a label is placed where the line crosses it.
     */
    static void assertLabelsClearOfReferenceLines(int charts) throws Exception {
        JsonNode found = JSON.readTree(chromium.eval("JSON.stringify(Array.from(document.querySelectorAll('svg'))"
                + ".filter(function (s) { return s.querySelector('line.ref'); }).map(function (s) {"
                + "  var x = Number(s.querySelector('line.ref').getAttribute('x1'));"
                + "  var labels = Array.from(s.querySelectorAll('text.val'));"
                + "  return [labels.length, labels.filter(function (t) { var b = t.getBBox(); return b.x - 1 <= x && x <= b.x + b.width + 1; })"
                + "    .map(function (t) { return t.textContent; })]; }))").asText());
        assertThat(found).hasSize(charts);
        for (JsonNode chart : found) {
            assertThat(chart.get(0).asInt()).isPositive();
            assertThat(chart.get(1)).as("value labels crossed by the average line").isEmpty();
        }
    }

    @Test
    void deal_outcomes_should_be_their_own_category_not_a_step_forward() throws Exception {
        String[][] deals = {{"Forward", "Discovery", "Proposal"}, {"Back", "Proposal", "Discovery"}, {"Won", "Negotiation", "Closed Won"},
            {"Lost", "Demo", "Closed Lost"}, {"Flip one", "Closed Won", "Closed Lost"}, {"Flip two", "Closed Won", "Closed Lost"},
            {"Reopened", "Closed Lost", "Negotiation"}, {"Stays won", "Closed Won", "Closed Won"}};
        Path report;
        try (Warehouse w = Warehouse.open("jdbc:duckdb:" + dir.resolve("deals.duckdb"), "", "", "")) {
            java.time.Instant now = java.time.Instant.parse("2026-10-20T12:00:00Z");
            List<com.fasterxml.jackson.databind.node.ObjectNode> calls = new ArrayList<>();
            List<com.fasterxml.jackson.databind.node.ObjectNode> details = new ArrayList<>();
            for (int i = 0; i < deals.length; i++) {
                com.fasterxml.jackson.databind.node.ObjectNode c = JSON.createObjectNode().put("id", "deal-call-" + i)
                        .put("time", now.minusSeconds(86_400L * i).toString()).put("status", "POST_PROCESSING_DONE")
                        .put("title", deals[i][0] + " call").put("deal_name", deals[i][0]).put("account_name", "Acme")
                        .put("deal_stage_before_call", deals[i][1]);
                c.putObject("metrics").put("talk_listen_ratio", 0.5).put("num_questions_asked_by_reps", 3);
                calls.add(c);
                details.add(c.deepCopy().put("deal_stage_live", deals[i][2]));
            }
            w.inTransaction(tx -> {
                tx.upsert(Flattener.flatten("calls", calls), now);
                tx.upsert(Flattener.flatten("call_details", details), now);
                return null;
            });
            report = ReportCommand.write(w, dir.resolve("deals.html"));
        }
        open(report);
        String summary = chromium.eval("Array.from(document.querySelectorAll('#chart-deal-stages text.summary'))"
                + ".map(function (t) { return t.textContent; }).join('\\n')").asText();
        assertThat(summary).contains("8 deals:", "1 moved forward", "1 moved back", "1 same stage", "1 won (teal)", "1 lost (brown)",
                "2 won ↔ lost (purple)", "1 reopened (orange)");
        JsonNode cells = JSON.readTree(chromium.eval("JSON.stringify(Array.from(document.querySelectorAll('#chart-deal-stages rect.mark'))"
                + ".map(function (r) { return [r.getAttribute('data-move'), r.querySelector('title').textContent, r.getAttribute('fill')]; }))")
                .asText());
        Map<String, String> moveOf = new LinkedHashMap<>();
        Map<String, String> fillOf = new LinkedHashMap<>();
        cells.forEach(c -> {
            String fromTo = c.get(1).asText().replaceAll("^\\d+ deals?: | \\(.*$", "");
            moveOf.put(fromTo, c.get(0).asText());
            fillOf.put(fromTo, c.get(2).asText());
        });
        assertThat(moveOf).containsEntry("Closed Won → Closed Lost", "outcome").containsEntry("Negotiation → Closed Won", "won")
                .containsEntry("Demo → Closed Lost", "lost").containsEntry("Closed Lost → Negotiation", "reopened")
                .containsEntry("Discovery → Proposal", "forward").containsEntry("Proposal → Discovery", "back")
                .containsEntry("Closed Won → Closed Won", "same");
        String forwardColour = fillOf.get("Discovery → Proposal").replaceAll(",[^,]*\\)$", "");
        assertThat(fillOf.get("Closed Won → Closed Lost")).doesNotStartWith(forwardColour);
        assertThat(chromium.errors()).isEmpty();
    }

    @Test
    void stage_movement_should_count_a_closed_deal_once_in_its_outcome_colour() throws Exception {
        java.time.Instant w1 = java.time.Instant.parse("2026-09-28T10:00:00Z");
        Path report;
        try (Warehouse w = Warehouse.open("jdbc:duckdb:" + dir.resolve("moves.duckdb"), "", "", "")) {
            w.keepHistory(List.of("calls"));
            String[][] path = {{"a", "Demo"}, {"b", "Demo"}, {"a", "Proposal"}, {"a", "Closed Won"}, {"b", "Demo"}};
            for (int i = 0; i < path.length; i++) {
                com.fasterxml.jackson.databind.node.ObjectNode c = JSON.createObjectNode().put("id", path[i][0])
                        // the page's weeks are the calls' weeks: a's call is in the week it closes, b's before the first
                        .put("time", (path[i][0].equals("a") ? w1.plusSeconds(15L * 86_400) : w1.minusSeconds(86_400)).toString())
                        .put("status", i == 4 ? "PROCESSED" : "POST_PROCESSING_DONE")
                        .put("deal_name", "Acme deal").put("deal_stage_before_call", path[i][1]);
                java.time.Instant at = w1.plusSeconds(7L * 86_400 * Math.max(0, i - 1)); // a and b in week 1, then a week each
                w.inTransaction(tx -> tx.upsert(Flattener.flatten("calls", List.of(c)), at));
            }
            report = ReportCommand.write(w, dir.resolve("moves.html"));
        }
        open(report);
        JsonNode marks = JSON.readTree(chromium.eval("JSON.stringify(Array.from(document.querySelectorAll('#chart-stage-moves rect.mark'))"
                + ".map(function (r) { return [r.getAttribute('data-stage'), r.getAttribute('data-terminal'), r.getAttribute('fill'),"
                + " r.querySelector('title').textContent]; }))").asText());
        List<String> seen = new ArrayList<>();
        marks.forEach(m -> seen.add(m.get(0).asText() + " " + m.get(1).asText() + " " + m.get(2).asText()));
        // b's later Demo record (week 4, after the close) is no movement; the close is drawn once, green
        assertThat(seen).containsExactly("Demo false hsl(215, 65%, 78%)", "Proposal false hsl(215, 65%, 33%)", "Closed Won true #2e9d62");
        assertThat(marks.get(2).get(3).asText()).isEqualTo("Week of 2026-10-12: 1 deal closed as Closed Won");
        assertThat(chromium.errors()).isEmpty();
    }

    @Test
    void hostile_text_should_show_as_text_and_run_nothing() throws Exception {
        Path report;
        try (Warehouse w = Warehouse.open("jdbc:duckdb:" + dir.resolve("hostile.duckdb"), "", "", "")) {
            HostileWarehouse.fill(w);
            report = ReportCommand.write(w, dir.resolve("hostile.html"));
        }
        open(report);
        assertThat(chromium.eval("typeof window.__pwned").asText()).isEqualTo("undefined");
        assertThat(marks().values()).allMatch(n -> n > 0);
        // each action item row shows the warehouse text exactly: item, owner, call title (in the tooltip)
        JsonNode rows = JSON.readTree(chromium.eval("JSON.stringify(Array.from(document.querySelectorAll('#table-action-items tbody tr'))"
                + ".map(function (tr) { return [tr.children[1].firstChild.textContent, tr.children[2].textContent,"
                + " tr.querySelector('.title').getAttribute('title')]; }))").asText());
        int n = HostileWarehouse.ALL.size();
        assertThat(rows.size()).isEqualTo(n);
        for (int k = 0; k < n; k++) {
            int i = k; // calls are one every three days, newest first: row k is call k
            assertThat(rows.get(k).get(0).asText()).isEqualTo(HostileWarehouse.ALL.get((i + 3) % n));
            assertThat(rows.get(k).get(1).asText()).isEqualTo(HostileWarehouse.ALL.get((i + 4) % n));
            assertThat(rows.get(k).get(2).asText()).isEqualTo(HostileWarehouse.ALL.get(i));
        }
        assertThat(chromium.eval("document.getElementById('freshness').textContent").asText())
                .contains(HostileWarehouse.RUN_MESSAGE.replaceAll("\\s+", " ")).contains("Latest run failed:");
        String tooltips = chromium.eval("Array.from(document.querySelectorAll('#chart-talk-listen title')).map(function (t) { return t.textContent; }).join('\\n')").asText();
        assertThat(tooltips).contains(HostileWarehouse.REP_NAME, HostileWarehouse.MANAGER_NAME);
        String coaching = chromium.eval("Array.from(document.querySelectorAll('#chart-coaching-reps title, #chart-coaching-skills title,"
                + " #chart-coaching-skills svg > text')).map(function (t) { return t.textContent; }).join('\\n')").asText();
        assertThat(coaching).contains(HostileWarehouse.REP_NAME, HostileWarehouse.MANAGER_NAME, HostileWarehouse.SKILL_A + ": average",
                HostileWarehouse.SKILL_B + ": average");
        String stages = chromium.eval("document.querySelector('#chart-deal-stages svg').textContent").asText();
        // Discovery → Proposal is forward; between stages of unknown order there is no direction
        assertThat(stages).contains("Discovery", "Proposal", "4 moved forward", "0 moved back", "4 between other stages");
        assertThat(chromium.errors()).isEmpty();
        Files.write(Path.of("target", "report-screenshot-hostile.png"), chromium.screenshot(1400));
    }

    @Test
    void an_empty_warehouse_should_show_empty_states_without_errors() throws Exception {
        Path report;
        try (Warehouse w = Warehouse.open("jdbc:duckdb:" + dir.resolve("empty.duckdb"), "", "", "")) {
            report = ReportCommand.write(w, dir.resolve("empty.html"));
        }
        open(report);
        assertThat(marks().values()).allMatch(n -> n == 0);
        assertThat(chromium.eval("document.querySelectorAll('.empty').length").asInt()).isEqualTo(CHARTS.size());
        assertThat(chromium.eval("document.getElementById('freshness').textContent").asText()).contains("none yet");
    }
}
