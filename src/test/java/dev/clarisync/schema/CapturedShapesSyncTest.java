package dev.clarisync.schema;

import dev.clarisync.SyncHarness;
import dev.clarisync.sim.CapturedShapes;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A first sync against answers shaped like the real API's captured responses (ratio 0/1, null media URLs, empty
 * arrays on every call of the first page): the tables follow the declared schema, not those values.
 */
class CapturedShapesSyncTest {
    @TempDir
    Path dir;

    @Test
    void should_shape_the_first_sync_by_the_declared_schema_and_alike_under_calls_and_call_details() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(160).build(), dir)) {
            h.sim.shapeAnswers(new CapturedShapes());
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(h.scalar("SELECT COUNT(*) FROM calls")).isEqualTo(160);
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details")).isPositive();

            assertThat(type(h, "calls", "metrics__talk_listen_ratio")).isEqualTo("DOUBLE");
            assertThat(type(h, "call_details", "metrics__talk_listen_ratio")).isEqualTo("DOUBLE");
            assertThat(h.strings("SELECT DISTINCT CAST(metrics__talk_listen_ratio AS VARCHAR) FROM calls WHERE metrics__talk_listen_ratio IS NOT NULL ORDER BY 1"))
                    .containsExactly("0.0", "1.0");
            for (String table : List.of("calls", "call_details")) {
                assertThat(columns(h, table)).contains("audio_url", "video_url")
                        .doesNotContain("external_participants", "joined_participants", "metrics__categories");
                for (String child : List.of("__users", "__external_participants", "__joined_participants", "__metrics__categories",
                        "__metrics__categories__phrases_matched")) {
                    assertThat(h.tableExists(table + child)).as(table + child).isTrue();
                }
            }
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details__joined_participants")).as("details carry participants").isPositive();

            // every table and column under calls has the same shape under call_details; calls__history is no child
            // table but the versions of calls (clari.history.streams is 'calls' by default, so it has no call_details
            // twin): it holds calls' data columns with the same types, so the history follows the declared schema too
            List<String> tables = h.strings("SELECT table_name FROM information_schema.tables WHERE table_name = 'calls'"
                    + " OR table_name LIKE 'calls\\_\\_%' ESCAPE '\\' ORDER BY 1");
            assertThat(tables).contains("calls", "calls__users", "calls__history");
            for (String table : tables) {
                if (table.equals("calls__history")) {
                    continue;
                }
                String twin = "call_details" + table.substring("calls".length());
                List<String> shape = h.strings(shapeSql(table));
                assertThat(h.strings(shapeSql(twin))).as(twin).containsAll(shape);
            }
            List<String> data = h.strings(shapeSql("calls") + " AND column_name NOT LIKE '\\_%' ESCAPE '\\'");
            assertThat(data).contains("id VARCHAR", "metrics__talk_listen_ratio DOUBLE", "audio_url VARCHAR");
            assertThat(h.strings(shapeSql("calls__history"))).as("calls__history").containsAll(data);
        }
    }

    private static String type(SyncHarness h, String table, String column) {
        return h.strings("SELECT data_type FROM information_schema.columns WHERE table_name = '" + table + "' AND column_name = '"
                + column + "'").get(0);
    }

    private List<String> columns(SyncHarness harness, String table) {
        return harness.strings("SELECT column_name FROM information_schema.columns WHERE table_name = '" + table + "'");
    }

    private static String shapeSql(String table) {
        return "SELECT column_name || ' ' || data_type FROM information_schema.columns WHERE table_name = '" + table + "'";
    }
}
