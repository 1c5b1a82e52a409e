package dev.clarisync.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The warehouse contract on a real PostgreSQL ({@link PostgresTestServer}); each test gets a new schema. */
class PostgresWarehouseTest extends WarehouseContractTest {

    @Override
    protected Target newTarget() {
        PostgresTestServer.Connection pg = PostgresTestServer.get();
        return new Target(pg.url(), pg.user(), pg.password(), PostgresTestServer.freshSchema("wh"));
    }

    /** Keeps an external server (WAREHOUSE_TEST_PG_URL) clean; runs before the base class closes (a no-op then). */
    @AfterEach
    void dropSchema() throws Exception {
        wh.close();
        try (Connection c = DriverManager.getConnection(target.url(), target.user(), target.password());
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS \"" + target.schema() + "\" CASCADE");
        }
    }

    @Test
    void should_create_the_schema_and_use_postgres_types() {
        assertThat(wh.dialect()).isInstanceOf(PostgresDialect.class);
        upsert("calls", T1, call("c1"));
        assertThat(wh.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND "
                + "table_name = 'calls' AND column_name IN ('time', 'metrics__talk_listen_ratio', 'metrics__call_duration', "
                + "'deal_value', 'contact_names')  ORDER BY column_name", wh.schema()))
                .extracting(r -> r.get("column_name") + " " + r.get("data_type"))
                .containsExactly("contact_names text", "deal_value text", "metrics__call_duration bigint",
                        "metrics__talk_listen_ratio double precision", "time timestamp with time zone");
    }

    @Test
    void should_report_an_unreachable_server_in_one_line_without_the_password() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/db?password=hunter2-in-url";
        assertThatThrownBy(() -> Warehouse.open(url, "someone", "s3cret-password", "x"))
                .isInstanceOf(WarehouseUnavailableException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "s3cret-password", "hunter2-in-url")
                        .contains("127.0.0.1:" + port));
    }
}
