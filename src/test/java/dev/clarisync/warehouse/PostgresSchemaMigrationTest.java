package dev.clarisync.warehouse;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;

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
