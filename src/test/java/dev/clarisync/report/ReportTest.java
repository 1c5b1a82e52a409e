package dev.clarisync.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clarisync.SyncHarness;
import dev.clarisync.warehouse.Warehouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code report} command and the HTML file it writes (the page itself is tested in Chromium by ReportBrowserTest). */
class ReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DATA = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL);

    @TempDir
    Path dir;

    static JsonNode embeddedData(String html) throws Exception {
        Matcher m = DATA.matcher(html);
        assertThat(m.find()).as("data block").isTrue();
        return JSON.readTree(m.group(1));
    }

    /** Everything that would make a browser fetch something. */
    static void assertSelfContained(String html) {
        Matcher m = DATA.matcher(html);
        assertThat(m.find()).as("data block").isTrue();
        // the data is text for the script, never markup: it holds no angle bracket at all
        assertThat(m.group(1)).doesNotContain("<", ">");
        String lower = (html.substring(0, m.start(1)) + html.substring(m.end(1))).toLowerCase();
        assertThat(lower).doesNotContain("<link", "<img", "<iframe", "<object", "<embed", "@import", "url(", " src=", " href=");
        // the only URL is SVG's namespace name, which is an identifier and never fetched
        assertThat(lower.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://", "https://", "//cdn");
        assertThat(lower).contains("content-security-policy").contains("default-src 'none'");
        // exactly the two script elements of the template; no data can close one
        assertThat(lower.split("</script", -1)).hasSize(3);
        assertThat(lower.split("<script", -1)).hasSize(3);
        assertThat(html).doesNotContain("<!--");
    }

    @Test
    void report_command_should_write_one_self_contained_file_with_the_right_numbers() throws Exception {
        SyncHarness h = SyncedWarehouse.get();
        Path out = dir.resolve("nested/deeper/report.html");
        SyncHarness.Result r = h.run("report", "--report.out=" + out);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(out.toString());
        String html = Files.readString(out, StandardCharsets.UTF_8);
        assertSelfContained(html);
        assertThat(html.length()).isLessThan(1_500_000);
        assertThat(dir.resolve("nested/deeper").toFile().list()).containsExactly("report.html"); // no temp file left

        JsonNode data = embeddedData(html);
        Expected expected = new Expected(h.sim.data());
        // weekly totals: every call once
        long calls = 0;
        for (JsonNode week : data.path("weekly")) {
            calls += week.get(1).asLong();
        }
        assertThat(calls).isEqualTo(SyncedWarehouse.CALLS);
        assertThat(data.path("totals").path("calls").asLong()).isEqualTo(SyncedWarehouse.CALLS);
        assertThat(data.path("totals").path("callsWithDetails").asLong()).isEqualTo(expected.details.size());
        // per rep: calls and talk/listen ratio as computed from the simulator
        Map<String, Expected.Agg> perRep = new HashMap<>();
        expected.perRepWeek().forEach((user, weeks) -> weeks.values().forEach(a -> {
            Expected.Agg t = perRep.computeIfAbsent(user, u -> new Expected.Agg());
            t.calls += a.calls;
            t.withMetrics += a.withMetrics;
            t.ratioSum += a.ratioSum;
        }));
        List<String> repIds = new ArrayList<>();
        data.path("reps").forEach(rep -> repIds.add(rep.get(0).asText()));
        assertThat(repIds).containsExactlyInAnyOrderElementsOf(perRep.keySet());
        Map<String, double[]> got = new HashMap<>();
        for (JsonNode row : data.path("repWeeks")) {
            double[] t = got.computeIfAbsent(repIds.get(row.get(0).asInt()), u -> new double[3]);
            t[0] += row.get(2).asLong();
            t[1] += row.get(3).asLong();
            t[2] += row.get(4).asDouble();
        }
        perRep.forEach((user, a) -> {
            assertThat((long) got.get(user)[0]).as(user).isEqualTo(a.calls);
            assertThat((long) got.get(user)[1]).as(user).isEqualTo(a.withMetrics);
            assertThat(got.get(user)[2] / got.get(user)[1]).as(user).isCloseTo(a.ratioSum / a.withMetrics, within(1e-9));
        });
        // action items: capped, newest first; the total is the warehouse's
        assertThat(data.path("actionItems").size()).isEqualTo((int) Math.min(ReportData.MAX_ACTION_ITEMS, expected.actionItems()));
        assertThat(data.path("totals").path("actionItems").asLong()).isEqualTo(expected.actionItems());
        String previous = "9999";
        for (JsonNode item : data.path("actionItems")) {
            assertThat(item.get(1).asText()).isLessThanOrEqualTo(previous);
            previous = item.get(1).asText();
        }
        // deals: one row per deal, the multi-call deal's stages known
        long deals = expected.calls.values().stream().map(Expected::dealKey).filter(k -> k != null).distinct().count();
        assertThat(data.path("deals").size()).isEqualTo((int) deals);
        assertThat(data.path("stages").toString()).contains("Qualification", "Closed Won");
        // coaching: every scorecard once (each scores a call in the embedded weeks), totals and answers add up
        List<com.fasterxml.jackson.databind.node.ObjectNode> scorecards = h.sim.coaching().scorecards();
        long cards = 0;
        double totals = 0;
        for (JsonNode row : data.path("coaching").path("repWeeks")) {
            cards += row.get(2).asLong();
            totals += row.get(4).asDouble();
        }
        assertThat(cards).isEqualTo(scorecards.size());
        assertThat(totals).isCloseTo(scorecards.stream().mapToDouble(sc -> sc.path("total_score").asDouble()).sum(), within(1e-6));
        long answers = 0;
        for (JsonNode row : data.path("coaching").path("skillWeeks")) {
            answers += row.get(4).asLong();
        }
        assertThat(answers).isEqualTo(scorecards.stream().mapToLong(sc -> {
            long n = 0;
            for (JsonNode q : sc.path("questions_score")) {
                n += q.has("score") ? 1 : 0;
            }
            return n;
        }).sum());

        // freshness: the sync that filled the warehouse
        JsonNode ok = data.path("freshness").path("lastSuccess");
        assertThat(ok.path("outcome").asText()).isEqualTo("succeeded");
        assertThat(ok.path("requests").asLong()).isEqualTo(h.sim.requests().count("/calls") + h.sim.requests().count("/call-details")
                + h.sim.requests().count("/users") + h.sim.requests().count("/scorecard") + h.sim.requests().count("/scorecard-template")
                + h.sim.requests().count("/v2/topics"));
        assertThat(ok.path("rowsWritten").asLong()).isEqualTo(h.scalar("SELECT COUNT(*) FROM calls") + h.scalar("SELECT COUNT(*) FROM call_details")
                + h.scalar("SELECT COUNT(*) FROM users") + h.scalar("SELECT COUNT(*) FROM scorecards")
                + h.scalar("SELECT COUNT(*) FROM scorecard_templates") + h.scalar("SELECT COUNT(*) FROM topics") + childRows(h));
    }

    /**
     * Rows of every child table (every stream, coaching included, is landed by the one sync). {@code calls__history}
     * (history of calls, on by default) is no child table: its versions are derived from the calls written, and rows
     * written counts the records a run lands, not the versions they make.
     */
    private static long childRows(SyncHarness h) {
        assertThat(h.tableExists("calls__history")).isTrue();
        long n = 0;
        for (String t : h.strings("SELECT table_name FROM information_schema.tables WHERE table_name LIKE '%\\_\\_%' ESCAPE '\\' "
                + "AND table_name NOT LIKE '\\_%' ESCAPE '\\' AND table_name NOT LIKE '%\\_\\_history' ESCAPE '\\' "
                + "AND table_type = 'BASE TABLE'")) {
            n += h.scalar("SELECT COUNT(*) FROM \"" + t + "\"");
        }
        return n;
    }

    @Test
    void hostile_strings_should_survive_the_round_trip_and_never_become_markup() throws Exception {
        try (Warehouse w = Warehouse.open("jdbc:duckdb:" + dir.resolve("hostile.duckdb"), "", "", "")) {
            HostileWarehouse.fill(w);
            Path out = ReportCommand.write(w, dir.resolve("hostile.html"));
            String html = Files.readString(out, StandardCharsets.UTF_8);
            assertSelfContained(html);
            assertThat(html).doesNotContain("window.__pwned=1</script>", "onerror=\"window", "]]>");
            JsonNode data = embeddedData(html);
            List<String> texts = new ArrayList<>();
            data.path("actionItems").forEach(row -> row.forEach(v -> texts.add(v.asText())));
            assertThat(texts).containsAll(HostileWarehouse.ALL);
            assertThat(data.path("reps").toString()).contains(JSON.writeValueAsString(HostileWarehouse.REP_NAME));
            assertThat(data.path("freshness").path("lastRun").path("message").asText()).isEqualTo(HostileWarehouse.RUN_MESSAGE);
            assertThat(data.path("stages")).extracting(JsonNode::asText).contains(HostileWarehouse.IMG, HostileWarehouse.SCRIPT);
        }
    }

    @Test
    void an_empty_warehouse_should_still_get_a_report() throws Exception {
        try (Warehouse w = Warehouse.open("jdbc:duckdb:" + dir.resolve("empty.duckdb"), "", "", "")) {
            Path out = ReportCommand.write(w, dir.resolve("empty.html"));
            String html = Files.readString(out, StandardCharsets.UTF_8);
            assertSelfContained(html);
            JsonNode data = embeddedData(html);
            assertThat(data.path("weekly").size()).isZero();
            assertThat(data.path("totals").path("calls").asLong()).isZero();
            assertThat(data.path("freshness").has("lastSuccess")).isFalse();
        }
    }

    @Test
    void report_should_fail_in_one_line_without_a_warehouse_or_a_writable_path() throws Exception {
        SyncHarness h = SyncedWarehouse.get();
        Path missing = dir.resolve("typo.duckdb");
        SyncHarness.Result r = h.run("report", "--warehouse.url=jdbc:duckdb:" + missing, "--report.out=" + dir.resolve("r.html"));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("warehouse.url", "no warehouse at " + missing, "run sync");
        assertThat(missing).doesNotExist();

        Files.writeString(dir.resolve("a-file"), "x");
        r = h.run("report", "--report.out=" + dir.resolve("a-file/report.html"));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("report.out", "cannot write the dashboard").doesNotContain("Clari API", "\tat ");
    }

    @Test
    void the_file_should_get_ordinary_permissions_and_replace_an_older_one() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path out = dir.resolve("report.html");
        Files.writeString(out, "old");
        try (Warehouse w = Warehouse.open("jdbc:duckdb:" + dir.resolve("w.duckdb"), "", "", "")) {
            ReportCommand.write(w, out);
        }
        assertThat(Files.readString(out)).startsWith("<!DOCTYPE html>");
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(Files.getPosixFilePermissions(plain));
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("plain.txt", "report.html", "w.duckdb");
    }

    @Test
    void script_safe_json_should_escape_what_could_end_the_script_block() {
        var node = JSON.createObjectNode().put("t", "</script><!-- & \u2028\u2029 >");
        String safe = ReportHtml.scriptSafeJson(node);
        assertThat(safe).doesNotContain("<", ">", "&", "\u2028", "\u2029")
                .contains("\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029 \\u003e");
    }
}
