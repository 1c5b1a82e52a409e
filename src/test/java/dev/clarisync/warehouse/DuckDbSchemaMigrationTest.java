package dev.clarisync.warehouse;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The schema migration and contradiction contract on DuckDB. */
class DuckDbSchemaMigrationTest extends SchemaMigrationContractTest {
    @TempDir
    Path dir;

    @Override
    protected WarehouseContractTest.Target newTarget() {
        return new WarehouseContractTest.Target("jdbc:duckdb:" + dir.resolve("clari.duckdb"), "", "", null);
    }

    @Override
    protected String doubleType() {
        return "DOUBLE";
    }
}
