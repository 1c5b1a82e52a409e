package dev.clarisync.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DialectTest {

    @Test
    void the_url_chooses_the_dialect() {
        assertThat(Dialect.forUrl("jdbc:duckdb:./data/clari.duckdb")).isInstanceOf(DuckDbDialect.class);
        assertThat(Dialect.forUrl("jdbc:postgresql://db:5432/dw")).isInstanceOf(PostgresDialect.class);
        assertThat(Dialect.forUrl("jdbc:h2:mem:x")).isInstanceOf(GenericAnsiDialect.class);
        assertThatThrownBy(() -> Dialect.forUrl("postgres://u:p@h/db?password=pw123"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("pw123");
        assertThatThrownBy(() -> Dialect.forUrl(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_duckdb_file_is_the_url_without_its_options() {
        assertThat(DuckDbDialect.file("jdbc:duckdb:/tmp/a/b.duckdb;threads=2")).isEqualTo(Path.of("/tmp/a/b.duckdb"));
        assertThat(DuckDbDialect.file("jdbc:duckdb:/tmp/a/b.duckdb?access_mode=READ_WRITE")).isEqualTo(Path.of("/tmp/a/b.duckdb"));
        assertThat(DuckDbDialect.file("jdbc:duckdb:data/x.duckdb")).isAbsolute();
        assertThat(DuckDbDialect.file("jdbc:duckdb:data/x.duckdb").toString()).endsWith("/data/x.duckdb");
        assertThat(DuckDbDialect.file("jdbc:duckdb:")).isNull();
        assertThat(DuckDbDialect.file("jdbc:duckdb::memory:named")).isNull();
    }

    @Test
    void duckdb_session_settings_default_unless_the_url_sets_them() {
        assertThat(DuckDbDialect.settings("jdbc:duckdb:/tmp/x.duckdb")).containsOnly(
                java.util.Map.entry("threads", "1"), java.util.Map.entry("checkpoint_threshold", "64MiB"));
        assertThat(DuckDbDialect.settings("jdbc:duckdb:/tmp/x.duckdb;THREADS=4")).containsOnly(
                java.util.Map.entry("checkpoint_threshold", "64MiB"));
        // a checkpoint must fit in memory: at most a quarter of a memory_limit, at least DuckDB's 16MB
        assertThat(DuckDbDialect.settings("jdbc:duckdb:/x;memory_limit=320MB").getProperty("checkpoint_threshold")).isEqualTo("64MiB");
        assertThat(DuckDbDialect.settings("jdbc:duckdb:/x;memory_limit=128MiB").getProperty("checkpoint_threshold")).isEqualTo("32MiB");
        assertThat(DuckDbDialect.settings("jdbc:duckdb:/x;memory_limit=40MB").getProperty("checkpoint_threshold")).isEqualTo("16MiB");
        assertThat(DuckDbDialect.settings("jdbc:duckdb:/x;memory_limit=1GB;checkpoint_threshold=1GB")).containsOnly(
                java.util.Map.entry("threads", "1"));
        assertThat(DuckDbDialect.memoryLimitBytes("jdbc:duckdb:/x;memory_limit=2GiB")).isEqualTo(2L << 30);
        assertThat(DuckDbDialect.memoryLimitBytes("jdbc:duckdb:/x;memory_limit=1.5GB")).isEqualTo(1_500_000_000L);
        assertThat(DuckDbDialect.memoryLimitBytes("jdbc:duckdb:/x")).isNull();
    }

    @Test
    void messages_lose_passwords_and_extra_lines() {
        assertThat(Secrets.oneLine("FATAL: bad password hunter22 for x\n  at detail", "hunter22"))
                .isEqualTo("FATAL: bad password *** for x");
        assertThat(Secrets.maskUrl("jdbc:postgresql://h/db?user=a&password=p%40ss&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?user=a&password=***&ssl=true");
    }

    @Test
    void the_advisory_lock_key_is_stable_per_schema() {
        assertThat(PostgresDialect.lockKey("clari")).isEqualTo(PostgresDialect.lockKey("clari"))
                .isNotEqualTo(PostgresDialect.lockKey("clari2"));
    }

    @Test
    void plain_statements_quote_every_identifier_and_bind_every_value() {
        for (Dialect d : new Dialect[] {new DuckDbDialect(), new PostgresDialect(), new GenericAnsiDialect()}) {
            assertThat(d.insert("s.\"t\"", "key", "va\"lue")).isEqualTo("INSERT INTO s.\"t\" (\"key\", \"va\"\"lue\") VALUES (?, ?)");
            assertThat(d.update("s.\"t\"", java.util.List.of("value", "updated_at"), "stream", "key"))
                    .isEqualTo("UPDATE s.\"t\" SET \"value\" = ?, \"updated_at\" = ? WHERE \"stream\" = ? AND \"key\" = ?");
            assertThat(d.delete("s.\"t\"", "stream")).isEqualTo("DELETE FROM s.\"t\" WHERE \"stream\" = ?");
            assertThat(d.select("s.\"t\"", java.util.List.of("scope", "id"))).isEqualTo("SELECT \"scope\", \"id\" FROM s.\"t\"");
            assertThat(d.dropColumn("s.\"t\"", "\"c\"")).isEqualTo("ALTER TABLE s.\"t\" DROP COLUMN \"c\"");
        }
        // only PostgreSQL refuses to drop or retype a column a view reads: only it looks the views up
        assertThat(new PostgresDialect().viewsReadingColumn()).contains("information_schema.view_column_usage");
        assertThat(new DuckDbDialect().viewsReadingColumn()).isNull();
        assertThat(new GenericAnsiDialect().viewsReadingColumn()).isNull();
    }

    @Test
    void each_dialect_chooses_its_merge_and_key_presence_strategy() {
        assertThat(new DuckDbDialect().mergeStrategy()).isEqualTo(MergeStrategy.ON_CONFLICT);
        assertThat(new PostgresDialect().mergeStrategy()).isEqualTo(MergeStrategy.ON_CONFLICT);
        assertThat(new GenericAnsiDialect().mergeStrategy()).isEqualTo(MergeStrategy.DELETE_THEN_INSERT);
        assertThat(new DuckDbDialect().keyPresence()).isEqualTo(KeyPresence.REMEMBERED);
        assertThat(new PostgresDialect().keyPresence()).isEqualTo(KeyPresence.ARRAY_PROBE);
        assertThat(new GenericAnsiDialect().keyPresence()).isEqualTo(KeyPresence.ASSUMED);
    }

    @Test
    void the_merge_strategy_writes_the_statements() {
        var cols = java.util.List.of("id", "v");
        assertThat(new PostgresDialect().merge("t", java.util.List.of("id", "v", "w"), cols, java.util.List.of("id"), "SELECT 1"))
                .containsExactly("INSERT INTO t (\"id\", \"v\") SELECT 1 ON CONFLICT (\"id\") DO UPDATE SET \"v\" = excluded.\"v\", \"w\" = NULL");
        assertThat(new GenericAnsiDialect().merge("t", cols, cols, java.util.List.of("id"), "SELECT 1")).containsExactly(
                "DELETE FROM t AS t WHERE EXISTS (SELECT 1 FROM (SELECT 1) s WHERE s.\"id\" = t.\"id\")",
                "INSERT INTO t (\"id\", \"v\") SELECT 1");
    }

    @Test
    void a_bookkeeping_table_is_data_and_the_dialect_writes_its_ddl() {
        assertThat(new PostgresDialect().createTable("s.t", BookkeepingTables.REQUEST_LEDGER)).isEqualTo(
                "CREATE TABLE IF NOT EXISTS s.t (\"week_start\" timestamptz NOT NULL, \"requests\" bigint NOT NULL, PRIMARY KEY (\"week_start\"))");
        assertThat(BookkeepingTables.ON_OPEN).extracting(BookkeepingTable::name).containsExactly(
                "_sync_state", "_sync_runs", "_schema_changes", "_processed", "_schema_tables", "_schema_columns");
    }
}
