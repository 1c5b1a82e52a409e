package dev.clarisync.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warehouse contract on DuckDB: each test gets a new file in a not-yet-existing directory. */
class DuckDbWarehouseTest extends WarehouseContractTest {

    @TempDir
    Path dir;

    @Override
    protected Target newTarget() {
        return new Target("jdbc:duckdb:" + dir.resolve("nested/data/clari.duckdb"), "", "", null);
    }

    @Test
    void should_create_the_file_and_its_directories() {
        assertThat(dir.resolve("nested/data/clari.duckdb")).exists();
        assertThat(wh.dialect()).isInstanceOf(DuckDbDialect.class);
        assertThat(wh.schema()).isEqualTo("main");
        assertThat(wh.tableExists("_sync_runs")).isTrue();
    }

    @Test
    void should_report_an_unusable_path_as_unavailable_in_one_line() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> Warehouse.open("jdbc:duckdb:" + file.resolve("sub/clari.duckdb"), "", "", null))
                .isInstanceOf(WarehouseUnavailableException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    /**
     * On DuckDB the writer remembers the keys it wrote (it is the file's only writer) and bulk-appends rows with keys
     * it never saw. A row slipped in behind its back through raw SQL then makes the append fail: the transaction
     * fails loudly and leaves nothing, never a silent loss (DuckDB's appender reports a failed flush only when asked).
     */
    @Test
    void should_fail_loudly_when_a_key_was_inserted_behind_the_writers_back() {
        upsert("calls", T1, call("c1"));
        wh.inTransaction(tx -> {
            try (var statement = ((WarehouseTransaction) tx).connection().createStatement()) {
                statement.execute("INSERT INTO " + t("calls") + " (id, _synced_at, title) VALUES ('sneaky', TIMESTAMP '2025-01-01', 'raw')");
            }
            return null;
        });
        assertThatThrownBy(() -> upsert("calls", T2, call("c2"), call("sneaky"))).isInstanceOf(WarehouseException.class)
                .hasMessageContaining("sneaky");
        assertThat(wh.count("calls")).isEqualTo(2);
        assertThat(row("calls", "sneaky").get("title")).isEqualTo("raw");
        assertThat(wh.tableExists("calls")).isTrue();
        assertThat(wh.query("SELECT id FROM " + t("calls") + " WHERE id = 'c2'")).isEmpty();
        wh.close();
        wh = open(); // a new session reads the keys from the table: the same batch now rewrites "sneaky"
        upsert("calls", T2, call("c2"), call("sneaky"));
        assertThat(row("calls", "sneaky").get("title")).isEqualTo("Demo call");
        assertThat(wh.count("calls__users")).isEqualTo(6);
    }

    /**
     * DuckDB keeps every index in memory for good, so only root tables (a row a call) have a key; the child tables'
     * (_parent_id, _idx) stays unique because a rewrite replaces all of a parent's child rows.
     */
    @Test
    void should_index_root_tables_only_and_keep_child_keys_unique_through_rewrites() {
        upsert("calls", T1, call("c1"), call("c2"));
        upsert("calls", T2, call("c1"));
        upsert("calls", T2, call("c2"), call("c1"));

        assertThat(wh.query("SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' "
                + "AND table_name LIKE 'calls%'")).extracting(r -> r.get("table_name")).containsExactly("calls");
        assertThat(wh.query("SELECT table_name FROM duckdb_indexes() WHERE table_name LIKE 'calls%'")).isEmpty();
        for (String child : List.of("calls__users", "calls__external_participants", "calls__metrics__categories",
                "calls__metrics__categories__phrases_matched")) {
            assertThat(wh.query("SELECT _parent_id, _idx FROM " + t(child) + " GROUP BY ALL HAVING count(*) > 1")).as(child).isEmpty();
        }
        assertThat(wh.count("calls__users")).isEqualTo(4);
        assertThat(wh.count("calls__metrics__categories__phrases_matched")).isEqualTo(6);
    }

    @Test
    void should_apply_the_session_settings_unless_the_url_sets_them() {
        assertThat(wh.query("SELECT current_setting('threads') AS t").get(0).get("t")).isEqualTo(1L);
        assertThat(wh.query("SELECT current_setting('checkpoint_threshold') AS c").get(0).get("c").toString()).startsWith("64");
        wh.close();
        wh = Warehouse.open(target.url() + ";threads=2;memory_limit=128MiB", "", "", null);
        assertThat(wh.query("SELECT current_setting('threads') AS t").get(0).get("t")).isEqualTo(2L);
        assertThat(wh.query("SELECT current_setting('checkpoint_threshold') AS c").get(0).get("c").toString()).startsWith("32");
    }

    @Test
    void should_use_a_named_schema_when_given() {
        wh.close();
        wh = Warehouse.open(target.url(), "", "", "clari");
        upsert("calls", T1, call("c1"));
        assertThat(wh.schema()).isEqualTo("clari");
        assertThat(wh.count("calls")).isEqualTo(1);
    }
}
