package dev.clarisync.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clarisync.config.SettingsException;
import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.sync.SyncOutcome;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How Camel K (or any Camel Main) runs the bundle without our Launcher: a plain {@link Main} given only
 * Camel properties — {@code camel.main.configuration-classes} naming {@link ConnectorConfiguration}, the
 * route files, and the connector's settings as properties — must bind every bean and sync.
 */
class CamelKStyleBootTest {
    @TempDir
    Path dir;

    @Test
    void should_sync_when_booted_by_plain_camel_main_with_the_configuration_class() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().callCount(40).build();
        try (ClariSimulator sim = ClariSimulator.start(config)) {
            Path db = dir.resolve("k.duckdb");
            Properties p = new Properties();
            p.put("clari.api.base-url", sim.baseUrl().toString());
            p.put("clari.api.key", config.apiKey()); // on a cluster these come from the Secret as env vars
            p.put("clari.api.password", config.apiPassword());
            p.put("clari.api.rate-limit", "500");
            p.put("clari.sync.start-date", "2015-01-01");
            p.put("warehouse.url", "jdbc:duckdb:" + db);
            Main main = start(p);
            try {
                Exchange result = main.getCamelContext().createProducerTemplate().send("direct:clari-sync", e -> { });
                SyncOutcome outcome = result.getMessage().getBody(SyncOutcome.class);
                assertThat(outcome).isNotNull();
                assertThat(outcome.ok()).as(outcome.message()).isTrue();
            } finally {
                main.stop();
            }
            assertThat(count(db, "calls")).isEqualTo(40);
        }
    }

    /**
     * The same boot with {@code clari.workspaces}: one Camel K Integration serves every workspace, each in its schema;
     * the one whose credentials are rejected fails alone.
     */
    @Test
    @SuppressWarnings("unchecked")
    void should_sync_every_workspace_when_booted_by_plain_camel_main_with_clari_workspaces() throws Exception {
        SimulatorConfig acme = SimulatorConfig.builder().callCount(30).seed(3).apiKey("key-acme").apiPassword("pw-acme").build();
        SimulatorConfig globex = SimulatorConfig.builder().callCount(20).seed(5).apiKey("key-globex").apiPassword("pw-globex").build();
        try (ClariSimulator simA = ClariSimulator.start(acme); ClariSimulator simG = ClariSimulator.start(globex)) {
            Path db = dir.resolve("k.duckdb");
            Properties p = new Properties();
            p.put("clari.workspaces", "acme,globex");
            p.put("clari.workspaces.parallelism", "2");
            p.put("clari.workspace.acme.base-url", simA.baseUrl().toString());
            p.put("clari.workspace.acme.api-key", acme.apiKey());
            p.put("clari.workspace.acme.api-password", acme.apiPassword());
            p.put("clari.workspace.globex.base-url", simG.baseUrl().toString());
            p.put("clari.workspace.globex.api-key", "revoked");
            p.put("clari.workspace.globex.api-password", "revoked");
            p.put("clari.api.rate-limit", "500");
            p.put("clari.sync.start-date", "2015-01-01");
            p.put("warehouse.url", "jdbc:duckdb:" + db);
            Main main = start(p);
            try {
                Exchange result = main.getCamelContext().createProducerTemplate().send("direct:clari-sync-all", e -> { });
                java.util.Map<String, SyncOutcome> outcomes = result.getMessage().getBody(java.util.Map.class);
                assertThat(outcomes).containsOnlyKeys("acme", "globex");
                assertThat(outcomes.get("acme").ok()).as(outcomes.get("acme").message()).isTrue();
                assertThat(outcomes.get("globex").credentialsRejected()).isTrue();
            } finally {
                main.stop();
            }
            assertThat(count(db, "acme.calls")).isEqualTo(30);
        }
    }

    /**
     * The Camel K path checks what the Launcher checks (issue 23): an unknown variable of ours in the pod's environment,
     * and an unknown key of ours among the Camel properties (the camel.properties trait, the mounted configuration),
     * stop the start with the same one line as on the command line.
     */
    @Test
    void should_not_start_on_an_unknown_environment_variable_or_camel_property_of_ours() {
        Properties p = new Properties();
        p.put("warehouse.url", "jdbc:duckdb:" + dir.resolve("k.duckdb"));
        assertThatThrownBy(() -> start(p, new ConnectorConfiguration(Map.of("CLARI_API_KEY", "k", "CLARI_API_PASSWORD", "p",
                "CLARI_API_RATE_LIMT", "5"))))
                .satisfies(e -> assertThat(settingsFailure(e)).hasMessage(
                        "unknown environment variable CLARI_API_RATE_LIMT (did you mean CLARI_API_RATE_LIMIT?)"));
        p.put("clari.sync.lookbak", "PT2H");
        assertThatThrownBy(() -> start(p, new ConnectorConfiguration(Map.of("CLARI_API_KEY", "k", "CLARI_API_PASSWORD", "p"))))
                .satisfies(e -> assertThat(settingsFailure(e)).hasMessage(
                        "unknown key clari.sync.lookbak (did you mean clari.sync.lookback?)"));
        assertThat(dir.resolve("k.duckdb")).as("no warehouse is opened with a configuration nobody meant").doesNotExist();
    }

    private static SettingsException settingsFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SettingsException s) {
                return s;
            }
        }
        throw new AssertionError("no SettingsException in the cause chain", t);
    }

    /** Rows of {@code table} in the DuckDB file the connector wrote (after it stopped). */
    private static long count(Path db, String table) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A plain Camel Main with what the Integration's camel.properties trait sets, plus the connector's {@code settings}. */
    static Main start(Properties settings) throws Exception {
        return start(settings, null);
    }

    /** {@link #start(Properties)} with {@code beans} instead of the configuration class named in the properties (a given environment). */
    private static Main start(Properties settings, ConnectorConfiguration beans) throws Exception {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("false");
        Properties p = new Properties();
        if (beans == null) {
            p.put("camel.main.configuration-classes", ConnectorConfiguration.class.getName());
        } else {
            main.configure().addConfiguration(beans);
        }
        p.put("camel.main.routes-include-pattern", "file:routes/*.camel.yaml");
        p.put("clari.internal.scheduled", "false");
        p.put("clari.internal.sync-on-start", "false");
        p.putAll(settings);
        main.setOverrideProperties(p);
        main.start();
        return main;
    }
}
