package dev.clarisync.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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

    @Test
    void should_use_a_named_schema_when_given() {
        wh.close();
        wh = Warehouse.open(target.url(), "", "", "clari");
        upsert("calls", T1, call("c1"));
        assertThat(wh.schema()).isEqualTo("clari");
        assertThat(wh.count("calls")).isEqualTo(1);
    }
}
