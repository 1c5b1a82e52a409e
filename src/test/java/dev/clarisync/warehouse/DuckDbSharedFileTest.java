package dev.clarisync.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.schema.Flattener;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many workspaces' schemas in one DuckDB file, written by one process at once (issue 16): they share the file's
 * buffer pool, so what a checkpoint would free (unwritten table data, indexes) must not pile up across schemas.
 */
class DuckDbSharedFileTest {

    @TempDir
    Path dir;

    /**
     * Twelve schemas of one file written at once within a 32 MiB memory_limit. Each index holds about 0.75 MiB until
     * a checkpoint writes it: without the file's gate (one transaction at a time, a checkpoint when memory runs
     * half full) the commits ran out of memory ("could not allocate block") after a few transactions each.
     */
    @Test
    void should_write_many_schemas_of_one_file_at_once_within_a_small_memory_limit() throws Exception {
        String url = "jdbc:duckdb:" + dir.resolve("many.duckdb") + ";memory_limit=32MiB";
        int schemas = 12;
        int transactions = 15;
        List<Warehouse> warehouses = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(schemas);
        try {
            for (int s = 0; s < schemas; s++) {
                warehouses.add(Warehouse.open(url, "", "", "w" + s));
            }
            List<Future<?>> writes = new ArrayList<>();
            for (Warehouse w : warehouses) {
                writes.add(threads.submit(() -> {
                    for (int t = 0; t < transactions; t++) {
                        String id = w.schema() + "-" + t;
                        w.inTransaction(tx -> tx.upsert(Flattener.flatten("calls", List.of(WarehouseContractTest.call(id))),
                                Instant.parse("2025-06-11T00:00:00Z")));
                        w.inTransaction(tx -> {
                            tx.markProcessed("calls", Map.of(id, "v1"));
                            return null;
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : writes) {
                f.get();
            }
            for (Warehouse w : warehouses) {
                assertThat(w.count("calls")).as(w.schema()).isEqualTo(transactions);
                assertThat(w.count("calls__users")).as(w.schema()).isEqualTo(2L * transactions);
            }
        } finally {
            threads.shutdownNow();
            warehouses.forEach(Warehouse::close);
        }
    }

    @Test
    void should_read_sizes_as_duckdb_prints_them() {
        assertThat(DuckDbFileGate.bytes("64.0 MiB")).isEqualTo(64L << 20);
        assertThat(DuckDbFileGate.bytes("1.5 GiB")).isEqualTo(3L << 29);
        assertThat(DuckDbFileGate.bytes("500.0 MB")).isEqualTo(500_000_000L);
        assertThat(DuckDbFileGate.bytes("12 bytes")).isNull();
        assertThat(DuckDbFileGate.bytes(null)).isNull();
    }
}
