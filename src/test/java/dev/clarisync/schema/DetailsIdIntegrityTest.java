package dev.clarisync.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.SyncHarness;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.sync.StreamCatalog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A /call-details answer about another call is not stored under either id: warned, counted, and the call stays owed. */
class DetailsIdIntegrityTest {
    @TempDir
    Path dir;

    @Test
    void should_keep_a_call_owed_when_its_details_answer_is_about_another_call() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(40).build(), dir)) {
            List<String> ready = h.sim.data().callIds().stream()
                    .filter(id -> StreamCatalog.READY.contains(h.sim.data().listItem(id).path("status").asText())).toList();
            String asked = ready.get(0);
            String other = "00000000-0000-4000-8000-000000000000";
            h.sim.shapeAnswers((path, params, status, answer) -> {
                if (path.equals("/call-details") && asked.equals(params.get("id").get(0))) {
                    ((ObjectNode) answer.get("call")).put("id", other);
                }
                return answer;
            });
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains("GET /call-details?id=" + asked + " answered with call.id \"" + other + "\": not stored; the call stays owed");
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details")).isEqualTo(ready.size() - 1);
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details WHERE id IN ('" + asked + "', '" + other + "')")).isZero();
            assertThat(h.strings("SELECT call_id FROM _details_backlog")).containsExactly(asked);
            assertThat(h.scalar("SELECT records_rejected FROM _sync_runs")).isEqualTo(1);

            h.sim.shapeAnswers(null); // the API answers right again: the owed call is fetched and filed under its id
            assertThat(h.run("sync").exitCode()).isZero();
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details WHERE id = '" + asked + "'")).isEqualTo(1);
            assertThat(h.scalar("SELECT COUNT(*) FROM _details_backlog")).isZero();
        }
    }
}
