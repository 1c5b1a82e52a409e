package dev.clarisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clarisync.SyncHarness;
import dev.clarisync.sim.CallStatus;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.warehouse.PostgresTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --format=parquet}: from a synced DuckDB file and from a synced PostgreSQL schema, every exported table
 * read back by DuckDB has the warehouse's row count and the manifest's column types; calls-like tables are split by
 * call month; {@code --since-last} rewrites only what changed; bad arguments fail in one line with exit 2.
 */
class ExportCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void should_export_every_table_of_a_duckdb_warehouse_and_then_only_what_changed() throws Exception {
        try (SyncHarness h = harness()) {
            sync(h);
            Path lake = dir.resolve("lake");
            SyncHarness.Result r = h.run("export", "--format=parquet", "--to", lake.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("Exported").contains("_manifest.json");
            JsonNode manifest = readBack(lake, table -> h.scalar("SELECT count(*) FROM \"" + table + "\""));
            assertThat(manifest.path("last_sync").asText()).isNotEmpty();
            assertThat(names(manifest)).contains("calls", "calls__history", "calls__users", "call_details", "call_details__transcript")
                    .noneMatch(t -> t.startsWith("_") || t.startsWith("v_"));
            assertThat(Files.list(lake.resolve("calls")).map(p -> p.getFileName().toString()).toList())
                    .allMatch(p -> p.matches("call_month=(\\d{4}-\\d{2}|unknown)"));
            assertThat(lake.resolve("users/data.parquet")).exists();

            // one call changes: only its month of the calls-like tables is written again
            String id = h.sim.data().callIds().get(0);
            h.sim.data().changeStatus(id, h.sim.data().status(id) == CallStatus.PROCESSED ? CallStatus.POST_PROCESSING_DONE : CallStatus.PROCESSED);
            sync(h);
            SyncHarness.Result again = h.run("export", "--to=" + lake, "--since-last");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.err()).contains("export: calls written in").contains("(1 changed partition(s))")
                    .contains("export: users unchanged since the last export");
            readBack(lake, table -> h.scalar("SELECT count(*) FROM \"" + table + "\""));
        }
    }

    @Test
    void should_export_a_postgresql_warehouse_through_an_in_process_duckdb() throws Exception {
        PostgresTestServer.Connection pg = PostgresTestServer.get();
        String schema = PostgresTestServer.freshSchema("export");
        try (SyncHarness h = harness()) {
            h.option("warehouse.url", pg.url()).option("warehouse.user", pg.user()).option("warehouse.schema", schema);
            sync(h);
            Path lake = dir.resolve("pglake");
            SyncHarness.Result r = h.run("export", "--format=parquet", "--to=" + lake, "--tables=calls,calls__history,users");
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode manifest = readBack(lake, table -> {
                try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password()); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + schema + "\".\"" + table + "\"")) {
                    rs.next();
                    return rs.getLong(1);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(names(manifest)).containsExactly("calls", "calls__history", "users");
            try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password()); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            }
        }
    }

    @Test
    void should_refuse_a_bad_format_table_or_directory_in_one_line_with_exit_2() throws Exception {
        try (SyncHarness h = harness()) {
            sync(h);
            Path file = Files.writeString(dir.resolve("a-file"), "x");
            for (String[] args : List.of(new String[] {"--format=csv", "--to=" + dir.resolve("x")},
                    new String[] {"--to=" + dir.resolve("x"), "--tables=calls,nope"},
                    new String[] {"--to=" + file},
                    new String[] {"--format=parquet"})) {
                SyncHarness.Result r = h.run("export", args);
                assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
                String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
                assertThat(last).as(r.err()).containsAnyOf("parquet", "nope", "is a file", "--to=DIR");
            }
        }
    }

    private static SyncHarness harnessIn(Path dir) {
        return new SyncHarness(SimulatorConfig.builder().callCount(60).build(), dir).option("clari.sync.streams", "users,calls,call_details");
    }

    private SyncHarness harness() {
        return harnessIn(dir);
    }

    private static void sync(SyncHarness h) {
        SyncHarness.Result r = h.run("sync");
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    private static List<String> names(JsonNode manifest) {
        List<String> out = new ArrayList<>();
        manifest.path("tables").forEach(t -> out.add(t.path("name").asText()));
        return out;
    }

    /** Reads every table of the manifest back with a fresh DuckDB: rows as the warehouse counts them, types as listed. */
    private static JsonNode readBack(Path lake, ToLongFunction<String> warehouseCount) throws Exception {
        JsonNode manifest = JSON.readTree(lake.resolve("_manifest.json").toFile()); // valid JSON, or this throws
        assertThat(manifest.path("tables").size()).isPositive();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            for (JsonNode t : manifest.path("tables")) {
                String table = t.path("name").asText();
                if (t.path("rows").asLong() == 0 && !t.path("partitioned_by").isNull()) {
                    // DuckDB's partitioned COPY of no rows writes no file: an empty table is an empty folder
                    assertThat(warehouseCount.applyAsLong(table)).as("rows of %s", table).isZero();
                    continue;
                }
                String files = "read_parquet('" + lake.resolve(table) + "/**/*.parquet', hive_partitioning = "
                        + !t.path("partitioned_by").isNull() + ")";
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + files)) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("rows of %s", table).isEqualTo(t.path("rows").asLong())
                            .isEqualTo(warehouseCount.applyAsLong(table));
                }
                List<String> expected = new ArrayList<>();
                t.path("columns").forEach(col -> expected.add(col.path("name").asText() + " " + col.path("type").asText()));
                List<String> actual = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + files)) {
                    while (rs.next()) {
                        if (!rs.getString("column_name").equals("call_month")) {
                            actual.add(rs.getString("column_name") + " " + rs.getString("column_type"));
                        }
                    }
                }
                assertThat(actual).as("columns of %s", table).isEqualTo(expected);
            }
        }
        return manifest;
    }
}
