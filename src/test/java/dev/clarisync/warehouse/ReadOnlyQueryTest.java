package dev.clarisync.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sql} command's query on a real DuckDB file and a real PostgreSQL: reads in the configured schema, never writes. */
class ReadOnlyQueryTest {
    @TempDir
    Path dir;

    record Target(String url, String user, String password) {
        Connection connect() throws SQLException {
            Properties p = new Properties();
            if (!user.isEmpty()) {
                p.setProperty("user", user);
            }
            if (!password.isEmpty()) {
                p.setProperty("password", password);
            }
            return DriverManager.getConnection(url, p);
        }
    }

    static final class Rows implements ReadOnlyQuery.RowSink {
        final List<String> columns = new ArrayList<>();
        final List<List<Object>> rows = new ArrayList<>();

        @Override
        public void columns(List<String> names) {
            columns.addAll(names);
        }

        @Override
        public void row(Object[] values) {
            rows.add(List.of(values));
        }
    }

    void assertReadsAndRefusesWrites(Target t, String schema) throws SQLException {
        try (Connection c = t.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            s.execute("CREATE TABLE " + schema + ".calls (id VARCHAR PRIMARY KEY, n INTEGER)");
            s.execute("INSERT INTO " + schema + ".calls VALUES ('a', 1), ('b', 2)");
        }
        Rows rows = new Rows();
        ReadOnlyQuery.run(t.url(), t.user(), t.password(), schema, "SELECT id, n FROM calls ORDER BY id", rows);
        assertThat(rows.columns).containsExactly("id", "n");
        assertThat(rows.rows).containsExactly(List.of("a", 1), List.of("b", 2));

        for (String write : List.of("INSERT INTO calls VALUES ('c', 3)", "DELETE FROM calls", "CREATE TABLE x (i INTEGER)")) {
            assertThatThrownBy(() -> ReadOnlyQuery.run(t.url(), t.user(), t.password(), schema, write, new Rows()))
                    .as(write).isInstanceOf(ReadOnlyQuery.QueryFailedException.class)
                    .hasMessageContainingAll("read", "only").hasMessageNotContaining("\n");
        }
        try (Connection c = t.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + ".calls")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(2);
        }
    }

    @Test
    void should_read_but_never_write_a_duckdb_file() throws SQLException {
        assertReadsAndRefusesWrites(new Target("jdbc:duckdb:" + dir.resolve("w.duckdb"), "", ""), "analytics");
    }

    @Test
    void should_read_but_never_write_postgresql() throws SQLException {
        PostgresTestServer.Connection pg = PostgresTestServer.get();
        assertReadsAndRefusesWrites(new Target(pg.url(), pg.user(), pg.password()), PostgresTestServer.freshSchema("ro"));
    }

    @Test
    void should_not_create_a_missing_duckdb_file() {
        assertThatThrownBy(() -> ReadOnlyQuery.run("jdbc:duckdb:" + dir.resolve("none.duckdb"), "", "", "", "SELECT 1", new Rows()))
                .isInstanceOf(WarehouseUnavailableException.class).hasMessageContaining("there is no DuckDB warehouse at");
        assertThat(dir.resolve("none.duckdb")).doesNotExist();
    }
}
