package dev.clarisync.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.SyncHarness;
import dev.clarisync.schema.Flattener;
import dev.clarisync.warehouse.PostgresTestServer;
import dev.clarisync.warehouse.Warehouse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same views on a real PostgreSQL ({@link PostgresTestServer}), filled by the real pipeline from a simulator
 * with the same data as the DuckDB fixture: same SQL, same rows.
 */
class AnalyticsViewsPostgresTest {
    static PostgresTestServer.Connection pg;
    static String schema;
    static Warehouse pgw;

    @BeforeAll
    static void sync(@TempDir Path dir) {
        pg = PostgresTestServer.get();
        schema = PostgresTestServer.freshSchema("report");
        try (SyncHarness h = new SyncHarness(SyncedWarehouse.config(), dir)) {
            SyncedWarehouse.arrangeMultiCallDeal(h);
            h.option("warehouse.url", pg.url()).option("warehouse.user", pg.user()).option("warehouse.password", pg.password())
                    .option("warehouse.schema", schema);
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            pgw = Warehouse.open(pg.url(), pg.user(), pg.password(), schema);
        }
    }

    @AfterAll
    static void dropSchema() throws Exception {
        if (pgw != null) {
            pgw.close();
        }
        try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password()); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
    }

    @Test
    void should_use_the_same_sql_as_duckdb() {
        try (Warehouse duck = SyncedWarehouse.open()) {
            Map<String, String> onDuck = AnalyticsViews.definitions(duck);
            Map<String, String> onPg = AnalyticsViews.definitions(pgw);
            assertThat(onPg.keySet()).containsExactlyElementsOf(AnalyticsViews.NAMES);
            for (String view : AnalyticsViews.NAMES) {
                assertThat(onPg.get(view).replace(AnalyticsViews.quote(schema), "<schema>")).as(view)
                        .isEqualTo(onDuck.get(view).replace(AnalyticsViews.quote(duck.schema()), "<schema>"));
            }
        }
    }

    @Test
    void should_show_the_same_rows_as_duckdb() {
        assertThat(AnalyticsViews.ensure(pgw)).containsExactlyElementsOf(AnalyticsViews.NAMES);
        try (Warehouse duck = SyncedWarehouse.open()) {
            AnalyticsViews.ensure(duck);
            for (String view : AnalyticsViews.NAMES) {
                List<String> onPg = normalised(pgw, view);
                List<String> onDuck = normalised(duck, view);
                assertThat(onPg).as(view).isNotEmpty().hasSameSizeAs(onDuck);
                assertThat(onPg).as(view).containsExactlyElementsOf(onDuck);
                assertThat(pgw.columns(view)).as(view).isEqualTo(duck.columns(view));
            }
        }
    }

    @Test
    void the_dashboard_should_show_the_same_figures_as_on_duckdb() {
        Instant now = Instant.parse("2026-11-02T00:00:00Z");
        AnalyticsViews.ensure(pgw);
        ObjectNode onPg = ReportData.read(pgw, now);
        ObjectNode onDuck;
        try (Warehouse duck = SyncedWarehouse.open()) {
            AnalyticsViews.ensure(duck);
            onDuck = ReportData.read(duck, now);
        }
        for (ObjectNode data : List.of(onPg, onDuck)) {
            data.remove("warehouse");
            for (String run : List.of("lastRun", "lastSuccess")) {
                ((ObjectNode) data.path("freshness").path(run)).remove(List.of("startedAt", "endedAt"));
            }
        }
        for (ObjectNode data : List.of(onPg, onDuck)) {
            rankWeeks((ArrayNode) data.path("stageMoves"));
        }
        assertThat(onPg.path("stageMoves").size()).isPositive();
        assertThat(onPg.path("weekly").size()).isPositive();
        assertThat(onPg.path("actionItems").size()).isEqualTo(ReportData.MAX_ACTION_ITEMS);
        assertThat(rounded(onPg)).isEqualTo(rounded(onDuck));
    }

    /** Each stage movement's week (the week of its warehouse's own sync) replaced by its rank among the weeks. */
    static void rankWeeks(ArrayNode stageMoves) {
        TreeSet<Long> weeks = new TreeSet<>();
        stageMoves.forEach(r -> weeks.add(r.get(0).asLong()));
        stageMoves.forEach(r -> ((ArrayNode) r).set(0, weeks.headSet(r.get(0).asLong()).size() + 1));
    }

    /** The JSON text with every floating-point number to 9 significant digits. */
    static String rounded(JsonNode n) {
        if (n.isDouble() || n.isFloat()) {
            return String.format(Locale.ROOT, "%.9g", n.asDouble());
        }
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            n.forEach(x -> parts.add(rounded(x)));
            return parts.toString();
        }
        if (n.isObject()) {
            List<String> parts = new ArrayList<>();
            n.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + rounded(e.getValue())));
            return "{" + String.join(", ", parts) + "}";
        }
        return n.toString();
    }

    @Test
    void should_use_the_utc_week_whatever_the_session_time_zone() throws Exception {
        AnalyticsViews.ensure(pgw);
        String sql = "SELECT COUNT(*) FROM \"" + schema + "\".v_calls WHERE week_start <> "
                + "CAST(date_trunc('week', call_time AT TIME ZONE 'UTC') AS DATE)";
        for (String zone : List.of("UTC", "Pacific/Kiritimati", "America/Los_Angeles")) {
            try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password()); Statement s = c.createStatement()) {
                s.execute("SET TIME ZONE '" + zone + "'");
                try (var rs = s.executeQuery(sql)) {
                    rs.next();
                    assertThat(rs.getLong(1)).as(zone).isZero();
                }
            }
        }
    }

    @Test
    void the_readme_examples_should_run() throws Exception {
        AnalyticsViews.ensure(pgw);
        // as a reader would run them: a plain connection of their own, the schema on the search path
        try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password()); Statement s = c.createStatement()) {
            s.execute("SET search_path TO \"" + schema + "\"");
            for (String sql : AnalyticsViewsTest.readmeExamples()) {
                s.executeQuery(sql).close();
            }
        }
    }

    @Test
    void every_view_should_exist_empty_on_a_fresh_schema_with_the_same_columns() {
        String fresh = PostgresTestServer.freshSchema("empty");
        try (Warehouse w = Warehouse.open(pg.url(), pg.user(), pg.password(), fresh)) {
            assertThat(AnalyticsViews.ensure(w)).containsExactlyElementsOf(AnalyticsViews.NAMES);
            for (String view : AnalyticsViews.NAMES) {
                assertThat(w.count(view)).as(view).isZero();
                assertThat(w.columns(view)).as(view).isEqualTo(pgw.columns(view));
            }
            assertThat(ReportData.read(w, Instant.now()).path("totals").path("calls").asLong()).isZero();
        } finally {
            dropQuietly(fresh);
        }
    }

    static void dropQuietly(String s) {
        try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password()); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS \"" + s + "\" CASCADE");
        } catch (Exception ignored) {
            // the schema is throw-away
        }
    }

    /**
     * A view pins the types of the columns it reads on PostgreSQL: widening such a column fails while the views
     * exist. {@link AnalyticsRefresh} registers a hook that drops them inside the widening transaction, and its
     * refresh after the sync recreates them.
     */
    @Test
    void widening_a_column_the_views_read_needs_the_views_dropped_first() {
        String s2 = PostgresTestServer.freshSchema("widen");
        try (Warehouse w = Warehouse.open(pg.url(), pg.user(), pg.password(), s2)) {
            w.inTransaction(tx -> tx.upsert(Flattener.flatten("calls", List.of(call("c1", 12))), Instant.now()));
            AnalyticsViews.ensure(w);
            ObjectNode widened = call("c2", 12);
            ((ObjectNode) widened.path("metrics")).put("call_duration", "twelve minutes");
            assertThatThrownBy(() -> w.inTransaction(tx -> tx.upsert(Flattener.flatten("calls", List.of(widened)), Instant.now())))
                    .hasMessageContaining("view");
            AnalyticsRefresh refresh = new AnalyticsRefresh(null);
            AnalyticsRefresh.attach(w);
            w.inTransaction(tx -> tx.upsert(Flattener.flatten("calls", List.of(widened)), Instant.now()));
            refresh.refresh(w);
            // the widened (now text) column reads as NULL; the views still build and the other columns are intact
            assertThat(w.query("SELECT table_name FROM information_schema.views WHERE table_schema = ?", s2))
                    .hasSize(AnalyticsViews.NAMES.size());
            assertThat(w.query("SELECT call_id, call_duration_s, talk_listen_ratio FROM " + w.table("v_calls") + " ORDER BY call_id"))
                    .extracting(r -> r.get("call_id") + " " + r.get("call_duration_s") + " " + r.get("talk_listen_ratio"))
                    .containsExactly("c1 null 0.5", "c2 null 0.5");
        } finally {
            dropQuietly(s2);
        }
    }

    static ObjectNode call(String id, long duration) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("id", id).put("time", "2026-06-02T10:00:00.000Z").put("title", "t " + id);
        c.putObject("metrics").put("call_duration", duration).put("talk_listen_ratio", 0.5);
        return c;
    }

    /**
     * Every row of a view as text (doubles to 9 significant digits, so summation order does not matter), sorted. The
     * history views' times are each warehouse's own sync times (two syncs at different instants, perhaps in different
     * weeks): a stage span's {@code valid_from}/{@code valid_to} become their rank among the instants of the same call,
     * and a movement's {@code week_start} its rank among the view's weeks, so the order is compared, not the instants.
     */
    static List<String> normalised(Warehouse w, String view) {
        List<Map<String, Object>> read = w.query("SELECT * FROM " + w.table(view));
        if (view.equals(AnalyticsViews.DEAL_STAGE_HISTORY)) {
            read = ranked(read, "call_id", "valid_from", "valid_to");
        } else if (view.equals(AnalyticsViews.DEAL_STAGE_MOVEMENT)) {
            read = ranked(read, null, "week_start");
        }
        List<String> rows = new ArrayList<>();
        for (Map<String, Object> row : read) {
            StringBuilder b = new StringBuilder();
            row.forEach((k, v) -> b.append(k).append('=').append(v instanceof Double d ? String.format(Locale.ROOT, "%.9g", d)
                    : v instanceof Number n ? Long.toString(n.longValue()) : String.valueOf(v)).append(" | "));
            rows.add(b.toString());
        }
        rows.sort(null);
        return rows;
    }

    /**
     * The rows with each value of {@code columns} replaced by {@code #n}: its dense rank (1 = earliest) among the values
     * of those columns in the rows with the same {@code group} value (all rows when {@code group} is null); NULL stays.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static List<Map<String, Object>> ranked(List<Map<String, Object>> rows, String group, String... columns) {
        Map<Object, TreeSet<Comparable>> values = new HashMap<>();
        for (Map<String, Object> row : rows) {
            for (String c : columns) {
                assertThat(row).containsKey(c);
                if (row.get(c) != null) {
                    values.computeIfAbsent(group == null ? "" : row.get(group), g -> new TreeSet<>())
                            .add(comparable(row.get(c)));
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> copy = new LinkedHashMap<>(row);
            for (String c : columns) {
                if (row.get(c) != null) {
                    copy.put(c, "#" + (values.get(group == null ? "" : row.get(group)).headSet(comparable(row.get(c))).size() + 1));
                }
            }
            out.add(copy);
        }
        return out;
    }

    /** An instant as itself, a date (java.sql.Date or LocalDate, as each driver reads it) as its ISO text. */
    @SuppressWarnings("rawtypes")
    private static Comparable comparable(Object v) {
        return v instanceof Instant i ? i : v.toString();
    }
}
