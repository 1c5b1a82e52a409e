package dev.clarisync.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.Launcher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's printout and the dashboard it writes give the same talk/listen and question figures per rep (issue 18:
 * they used to differ, the printout counting only the calls a rep organised and all questions on the call).
 */
class DemoAgreesWithDashboardTest {
    private static final Pattern ROW = Pattern.compile("^  (.+?)\\s+(\\d+)\\s+(\\d+\\.\\d{2})\\s+(\\d+\\.\\d)$");

    @TempDir
    Path dir;

    @Test
    void the_demo_printout_should_show_the_dashboards_talk_listen_figures() throws Exception {
        Path report = dir.resolve("report.html");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Launcher.run(new String[] {"demo", "--demo.calls=120", "--demo.rate-limit=1000",
            "--demo.warehouse-url=jdbc:duckdb:" + dir.resolve("demo.duckdb"), "--report.out=" + report}, Map.of(), dir,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String printout = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printout).isZero();
        assertThat(printout).contains("Reps by talk/listen ratio (every recorded call they were on, as on the dashboard):");

        // the dashboard's figures per rep over all weeks, as its script adds them up
        JsonNode data = ReportTest.embeddedData(Files.readString(report, StandardCharsets.UTF_8));
        Map<String, double[]> byName = new HashMap<>();
        for (JsonNode row : data.path("repWeeks")) {
            String name = data.path("reps").get(row.get(0).asInt()).get(1).asText();
            double[] t = byName.computeIfAbsent(name, n -> new double[3]);
            t[0] += row.get(3).asLong();
            t[1] += row.get(4).asDouble();
            t[2] += row.get(5).asLong();
        }
        int rows = 0;
        for (String line : List.of(printout.split("\n"))) {
            Matcher m = ROW.matcher(line);
            if (!m.matches()) {
                continue;
            }
            double[] t = byName.get(m.group(1));
            assertThat(t).as(line).isNotNull();
            assertThat(Long.parseLong(m.group(2))).as(line).isEqualTo((long) t[0]);
            assertThat(Double.parseDouble(m.group(3))).as(line).isCloseTo(t[1] / t[0], within(0.005 + 1e-9));
            assertThat(Double.parseDouble(m.group(4))).as(line).isCloseTo(t[2] / t[0], within(0.05 + 1e-9));
            rows++;
        }
        assertThat(rows).as(printout).isEqualTo(Math.min(10, byName.values().stream().filter(t -> t[0] > 0).count()));
    }
}
