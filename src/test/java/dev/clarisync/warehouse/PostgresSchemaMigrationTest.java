package dev.clarisync.warehouse;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The schema migration and contradiction contract on a real PostgreSQL ({@link PostgresTestServer}). */
class PostgresSchemaMigrationTest extends SchemaMigrationContractTest {

    @Override
    protected WarehouseContractTest.Target newTarget() {
        PostgresTestServer.Connection pg = PostgresTestServer.get();
        return new WarehouseContractTest.Target(pg.url(), pg.user(), pg.password(), PostgresTestServer.freshSchema("mig"));
    }

    @Override
    protected String doubleType() {
        return "double precision";
    }

    /** PostgreSQL refuses to retype or drop a column a view reads: the migration drops such views first. */
    @Test
    void should_migrate_columns_that_views_read() throws Exception {
        buildWithThePreviousLayout();
        try (Connection c = DriverManager.getConnection(target.url(), target.user(), target.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE VIEW \"" + target.schema() + "\".talk AS SELECT id, metrics__talk_listen_ratio, external_participants FROM \""
                    + target.schema() + "\".calls");
        }
        wh = open();
        assertThat(type("calls", "metrics__talk_listen_ratio")).isEqualTo("double precision");
        assertThat(wh.columns("calls")).doesNotContain("external_participants");
        assertThat(wh.tableExists("talk")).as("the view was dropped; analytics views return after the next sync").isFalse();
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (wh != null) {
            wh.close();
            wh = null;
        }
        try (Connection c = DriverManager.getConnection(target.url(), target.user(), target.password());
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS \"" + target.schema() + "\" CASCADE");
        }
    }
}
