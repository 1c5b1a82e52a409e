package dev.clarisync.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.SyncHarness;
import dev.clarisync.warehouse.PostgresTestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One warehouse the privacy tests run against: the harness's DuckDB file, or a fresh schema of the test PostgreSQL
 * server. Runs commands with the salt in the environment (never on the command line) and reads with plain JDBC.
 */
final class PrivacyTarget {
    static final String SALT = "test-salt-0123456789abcdef-not-for-production";

    final SyncHarness h;
    private final PostgresTestServer.Connection pg;
    private final String schema;
    private final java.nio.file.Path file;

    private PrivacyTarget(SyncHarness h, PostgresTestServer.Connection pg, String schema, java.nio.file.Path file) {
        this.h = h;
        this.pg = pg;
        this.schema = schema;
        this.file = file;
    }

    /** A DuckDB file of its own (name), next to the harness's. */
    static PrivacyTarget duckDb(SyncHarness h, String name) {
        return new PrivacyTarget(h, null, "main", h.dir.resolve(name + ".duckdb"));
    }

    static PrivacyTarget postgres(SyncHarness h, String prefix) {
        return new PrivacyTarget(h, PostgresTestServer.get(), PostgresTestServer.freshSchema(prefix), null);
    }

    boolean postgres() {
        return pg != null;
    }

    SyncHarness.Result run(String command, String... extra) {
        Map<String, String> env = new LinkedHashMap<>(Map.of("CLARI_API_KEY", h.config.apiKey(), "CLARI_API_PASSWORD",
                h.config.apiPassword(), "CLARI_PRIVACY_SALT", SALT));
        List<String> args = new ArrayList<>(List.of(extra));
        if (pg != null) {
            env.put("WAREHOUSE_PASSWORD", pg.password() == null ? "" : pg.password());
            args.addAll(List.of("--warehouse.url=" + pg.url(), "--warehouse.user=" + pg.user(), "--warehouse.schema=" + schema));
        } else {
            args.add("--warehouse.url=jdbc:duckdb:" + file);
        }
        return h.runWith(env, command, args.toArray(String[]::new));
    }

    Connection connect() throws SQLException {
        if (pg == null) {
            return DriverManager.getConnection("jdbc:duckdb:" + file);
        }
        Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path TO \"" + schema + "\""); // unqualified table names, as on DuckDB
        }
        return c;
    }

    long scalar(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.replace("{s}", schema))) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Table name qualified for this target. */
    String t(String table) {
        return pg == null ? table : "\"" + schema + "\".\"" + table + "\"";
    }

    /** "table.column: value" for every text value of every base table holding one of the needles (case-insensitive). */
    List<String> holding(Set<String> needles) {
        List<String> found = new ArrayList<>();
        List<String> lower = needles.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            List<String[]> columns = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT c.table_name, c.column_name FROM information_schema.columns c JOIN"
                    + " information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema"
                    + " WHERE t.table_type = 'BASE TABLE' AND c.table_schema = '" + schema + "' AND upper(c.data_type) IN"
                    + " ('VARCHAR', 'TEXT', 'CHARACTER VARYING')")) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (String[] col : columns) {
                try (ResultSet rs = s.executeQuery("SELECT DISTINCT \"" + col[1] + "\" FROM " + t(col[0]) + " WHERE \"" + col[1] + "\" IS NOT NULL")) {
                    while (rs.next()) {
                        String v = rs.getString(1).toLowerCase(Locale.ROOT);
                        for (String n : lower) {
                            if (v.contains(n)) {
                                found.add(col[0] + "." + col[1] + ": " + n + " in " + v.substring(0, Math.min(160, v.length())));
                            }
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** Every email, phone and name of the simulator's people: its users and every call's participants. */
    static Set<String> people(SyncHarness h) {
        Set<String> out = new LinkedHashSet<>();
        for (ObjectNode u : h.sim.data().users()) {
            out.add(u.get("email").asText());
            out.add(u.get("name").asText());
        }
        for (String id : h.sim.data().callIds()) {
            ObjectNode call = h.sim.data().listItem(id);
            for (String list : List.of("externalParticipants", "joinedParticipants")) {
                for (JsonNode p : call.path(list)) {
                    for (String f : List.of("name", "email", "phone")) {
                        if (p.hasNonNull(f)) {
                            out.add(p.get(f).asText());
                        }
                    }
                }
            }
        }
        return out;
    }
}
