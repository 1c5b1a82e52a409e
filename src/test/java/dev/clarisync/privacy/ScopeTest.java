package dev.clarisync.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.SyncHarness;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25, scope: a scoped sync holds exactly the calls of the team (or user) and fetches no details outside it; a
 * scope change removes the calls that left it and fetches those that entered it.
 */
class ScopeTest {
    @TempDir
    Path dir;

    @Test
    void should_store_and_fetch_only_the_calls_of_the_scope_and_follow_a_scope_change_on_duckdb() throws Exception {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(200).userCount(13).build(), dir)) {
            scope(h, name -> PrivacyTarget.duckDb(h, name));
        }
    }

    @Test
    void should_store_and_fetch_only_the_calls_of_the_scope_and_follow_a_scope_change_on_postgresql() throws Exception {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(120).userCount(13).build(), dir)) {
            scope(h, name -> PrivacyTarget.postgres(h, "scope_" + name));
        }
    }

    static void scope(SyncHarness h, java.util.function.Function<String, PrivacyTarget> target) throws Exception {
        {
            PrivacyTarget clear = target.apply("all");
            assertThat(clear.run("sync").exitCode()).isZero();
            List<ObjectNode> users = h.sim.data().users();
            ObjectNode head = users.get(0);
            ObjectNode manager = users.stream().filter(u -> "MANAGER".equals(u.path("role").asText())
                    && head.get("id").asText().equals(u.path("manager_id").asText())).findFirst().orElseThrow();
            Set<String> team = users.stream().filter(u -> u.get("id").equals(manager.get("id"))
                    || manager.get("id").asText().equals(u.path("manager_id").asText())).map(u -> u.get("id").asText())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(team).hasSizeGreaterThan(1);

            PrivacyTarget scoped = target.apply("scoped");
            h.sim.requests().reset();
            SyncHarness.Result r = scoped.run("sync", "--clari.scope.teams=" + manager.get("email").asText());
            assertThat(r.exitCode()).as(r.err()).isZero();
            Set<String> expected = ids(clear, "SELECT DISTINCT _parent_id FROM calls__users WHERE user_id IN " + in(team));
            assertThat(expected).isNotEmpty();
            assertThat(ids(scoped, "SELECT id FROM calls")).isEqualTo(expected);
            assertThat(ids(scoped, "SELECT id FROM call_details")).isEqualTo(ids(clear, "SELECT id FROM call_details WHERE id IN " + in(expected)));
            assertThat(h.sim.requests().count("/call-details")).isEqualTo((long) ids(scoped, "SELECT id FROM call_details").size())
                    .isLessThan(clear.scalar("SELECT COUNT(*) FROM call_details"));

            // the scope changes to one rep of another team: their calls come, the team's others go
            String rep = users.stream().filter(u -> "REP".equals(u.path("role").asText()) && !team.contains(u.get("id").asText()))
                    .findFirst().orElseThrow().get("id").asText();
            h.sim.requests().reset();
            SyncHarness.Result changed = scoped.run("sync", "--clari.scope.users=" + rep);
            assertThat(changed.exitCode()).as(changed.err()).isZero();
            assertThat(changed.err()).contains("scope changed");
            Set<String> repCalls = ids(clear, "SELECT DISTINCT _parent_id FROM calls__users WHERE user_id = '" + rep + "'");
            assertThat(ids(scoped, "SELECT id FROM calls")).isEqualTo(repCalls);
            Set<String> repDetails = ids(clear, "SELECT id FROM call_details WHERE id IN " + in(repCalls));
            assertThat(ids(scoped, "SELECT id FROM call_details")).isEqualTo(repDetails);
            Set<String> fetchedBefore = ids(clear, "SELECT id FROM call_details WHERE id IN " + in(expected));
            repDetails.removeAll(fetchedBefore);
            assertThat(h.sim.requests().count("/call-details")).isEqualTo((long) repDetails.size());

            SyncHarness.Result typo = scoped.run("sync", "--clari.scope.users=nobody@nowhere.example");
            assertThat(typo.exitCode()).isEqualTo(2);
            assertThat(typo.err()).contains("clari.scope.users").contains("no user 'nobody@nowhere.example'");
        }
    }

    static String in(Set<String> ids) {
        return ids.stream().map(i -> "'" + i + "'").collect(Collectors.joining(", ", "(", ")"));
    }

    static Set<String> ids(PrivacyTarget t, String sql) throws Exception {
        Set<String> out = new TreeSet<>();
        try (Connection c = t.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
