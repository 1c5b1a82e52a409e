package dev.clarisync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.SyncHarness;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.warehouse.PostgresTestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Titles and transcript turns with control characters (NUL included) and unpaired surrogates, as speech-to-text and
 * calendar invites deliver them, in about 10% of the texts: every record lands, on DuckDB exactly as Clari sent it
 * (only an unpaired surrogate, which UTF-8 cannot hold, becomes U+FFFD), on PostgreSQL without its NUL characters.
 * The expectation is computed here from the simulator's own answers, independently of the connector's rule.
 */
class ControlCharactersSyncTest {
    private static final char NUL = 0;

    @TempDir
    Path dir;

    @Test
    void should_land_every_text_as_it_came_on_duckdb_nul_included() throws Exception {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(160).build(), dir)) {
            h.sim.data().controlCharacters(0.1);
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            Expected expected = expected(h, ControlCharactersSyncTest::replaceLoneSurrogates);
            assertThat(expected.withNul).as("the simulator put NUL into some texts").isGreaterThan(5);
            try (Connection c = h.connect()) {
                assertLanded(c, "main", expected);
                assertThat(count(c, "SELECT COUNT(*) FROM call_details__transcript WHERE contains(text, chr(0))"))
                        .as("NUL kept on DuckDB").isPositive();
            }
            assertCleanedCounts(r, expected);
            // a rerun finds nothing new: the stored versions match, whatever the text holds
            SyncHarness.Result again = h.run("sync");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).contains("rows written: none (nothing changed)").doesNotContain("cleaned");
        }
    }

    @Test
    void should_land_every_text_without_its_nul_characters_on_postgresql() throws Exception {
        PostgresTestServer.Connection pg = PostgresTestServer.get();
        String schema = PostgresTestServer.freshSchema("nul");
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(160).build(), dir)) {
            h.sim.data().controlCharacters(0.1);
            SyncHarness.Result r = h.runWith(Map.of("CLARI_API_KEY", h.config.apiKey(), "CLARI_API_PASSWORD", h.config.apiPassword(),
                    "WAREHOUSE_PASSWORD", pg.password() == null ? "" : pg.password()), "sync",
                    "--warehouse.url=" + pg.url(), "--warehouse.user=" + pg.user(), "--warehouse.schema=" + schema);
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains("NUL removed, unpaired surrogates replaced by U+FFFD");
            Expected expected = expected(h, t -> replaceLoneSurrogates(t).replace(String.valueOf(NUL), ""));
            try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password())) {
                assertLanded(c, schema, expected);
                assertThat(count(c, "SELECT COUNT(*) FROM \"" + schema + "\".call_details__transcript WHERE text LIKE '%' || chr(1) || '%'"))
                        .as("other control characters stay").isPositive();
                assertThat(count(c, "SELECT COUNT(*) FROM \"" + schema + "\"._details_backlog")).as("every details fetch landed").isZero();
            }
            assertCleanedCounts(r, expected);
        }
    }

    /** What each table should hold: titles by call id, transcript texts by (call id, turn), and what the rule changes. */
    private record Expected(Map<String, String> titles, Map<String, String> turns, Map<String, Long> changed, int withNul) {
    }

    private static Expected expected(SyncHarness h, UnaryOperator<String> rule) {
        Map<String, String> titles = new HashMap<>();
        Map<String, String> turns = new HashMap<>();
        Map<String, Long> changed = new TreeMap<>();
        int withNul = 0;
        for (String id : h.sim.data().callIds()) {
            String title = h.sim.data().listItem(id).path("title").asText(null);
            if (title != null) {
                titles.put(id, rule.apply(title));
                withNul += title.indexOf(NUL) >= 0 ? 1 : 0;
                if (!rule.apply(title).equals(title)) {
                    changed.merge("calls", 1L, Long::sum);
                }
            }
            JsonNode details = h.sim.data().details(id);
            if (details == null || !details.has("summary")) {
                continue; // not ready: no details fetched
            }
            if (title != null && !rule.apply(title).equals(title)) {
                changed.merge("call_details", 1L, Long::sum);
            }
            JsonNode transcript = details.path("transcript");
            for (int i = 0; i < transcript.size(); i++) {
                String text = transcript.get(i).path("text").asText();
                turns.put(id + "/" + i, rule.apply(text));
                withNul += text.indexOf(NUL) >= 0 ? 1 : 0;
                if (!rule.apply(text).equals(text)) {
                    changed.merge("call_details__transcript", 1L, Long::sum);
                }
            }
        }
        return new Expected(titles, turns, changed, withNul);
    }

    private static void assertLanded(Connection c, String schema, Expected expected) throws SQLException {
        String q = "\"" + schema + "\".";
        assertThat(pairs(c, "SELECT id, title FROM " + q + "calls WHERE title IS NOT NULL")).isEqualTo(expected.titles);
        Map<String, String> detailTitles = pairs(c, "SELECT id, title FROM " + q + "call_details WHERE title IS NOT NULL");
        assertThat(detailTitles).isNotEmpty();
        detailTitles.forEach((id, title) -> assertThat(title).as(id).isEqualTo(expected.titles.get(id)));
        assertThat(pairs(c, "SELECT _root_id || '/' || CAST(_idx AS VARCHAR), text FROM " + q + "call_details__transcript"))
                .isEqualTo(expected.turns);
    }

    /** The run's one log line names how many values each table had cleaned: exactly the texts the rule changes. */
    private static void assertCleanedCounts(SyncHarness.Result r, Expected expected) {
        Matcher m = Pattern.compile("text clean-up \\([^)]*\\): [0-9]+ text values? changed \\(([^)]*)\\)").matcher(r.err());
        assertThat(m.find()).as(r.err()).isTrue();
        Map<String, Long> logged = new TreeMap<>();
        for (String part : m.group(1).split(", ")) {
            String[] kv = part.split(" ");
            logged.put(kv[0], Long.parseLong(kv[1]));
        }
        expected.changed.forEach((table, n) -> assertThat(logged.get(table)).as(table).isEqualTo(n));
        long total = logged.values().stream().mapToLong(Long::longValue).sum();
        assertThat(r.out()).contains("; " + total + " text values cleaned for the warehouse");
    }

    private static Map<String, String> pairs(Connection c, String sql) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Unpaired UTF-16 surrogates → U+FFFD, written here independently of the connector's rule. */
    static String replaceLoneSurrogates(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> out.appendCodePoint(cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp));
        return out.toString();
    }
}
