package dev.clarisync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.SyncHarness;
import dev.clarisync.sim.DetailsDefect;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers that can never be read as they are (issue 23): each costs only its own call. The simulator plays them over
 * loopback HTTP, the same bytes on every request; the sync sets them aside in {@code _rejected_records}, lands every
 * other call exactly, exits 0 under the threshold, and each later run asks for the set-aside calls once more.
 */
class UnreadableAnswersTest {
    @TempDir
    Path dir;

    private static List<String> ready(SyncHarness h) {
        return h.sim.data().callIds().stream().filter(id -> DetailsSyncTest.ready(h.sim.data().listItem(id))).sorted().toList();
    }

    @Test
    void should_set_aside_unreadable_details_and_land_every_other_call() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(400).build(), dir)) {
            List<String> ready = ready(h);
            List<String> bad = List.of(ready.get(3), ready.get(50), ready.get(120), ready.get(200));
            h.sim.data().unreadableDetails(bad.get(0), DetailsDefect.INVALID_UTF8);
            h.sim.data().unreadableDetails(bad.get(1), DetailsDefect.INVALID_UTF8);
            h.sim.data().unreadableDetails(bad.get(2), DetailsDefect.UNMAPPABLE);
            h.sim.data().unreadableDetails(bad.get(3), DetailsDefect.UNMAPPABLE);

            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("4 records set aside (see _rejected_records)");
            // no retry storm: one request per call, the unreadable ones included
            assertThat(h.sim.requests().count("/call-details")).isEqualTo(ready.size());
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details")).isEqualTo(ready.size() - 4);
            assertThat(h.strings("SELECT record_id FROM _rejected_records WHERE stream = 'call_details' ORDER BY record_id"))
                    .containsExactlyElementsOf(bad.stream().sorted().toList());
            assertThat(h.strings("SELECT reason FROM _rejected_records WHERE record_id = '" + bad.get(0) + "'"))
                    .singleElement().asString().contains("not UTF-8").doesNotContain("\n");
            assertThat(h.strings("SELECT reason FROM _rejected_records WHERE record_id = '" + bad.get(2) + "'"))
                    .singleElement().asString().contains("without a 'call' object");
            assertThat(h.strings("SELECT answer FROM _rejected_records WHERE record_id = '" + bad.get(2) + "'"))
                    .containsExactly("{\"call\":\"unavailable\"}");
            assertThat(h.strings("SELECT answer FROM _rejected_records WHERE record_id = '" + bad.get(0) + "'"))
                    .singleElement().asString().contains("\"id\":\"" + bad.get(0) + "\"").contains("\uFFFD(");
            assertThat(h.scalar("SELECT records_rejected FROM _sync_runs")).isEqualTo(4);
            assertThat(h.scalar("SELECT COUNT(*) FROM _details_backlog")).isEqualTo(4);

            // a rerun asks for the set-aside calls only, once each, and writes nothing else
            h.sim.requests().reset();
            SyncHarness.Result again = h.run("sync");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(h.sim.requests().count("/call-details")).isEqualTo(4);
            assertThat(again.out()).contains("4 records set aside").contains("rows written: none");
            assertThat(h.scalar("SELECT MIN(attempts) FROM _rejected_records")).isEqualTo(2);

            // answers that become readable land and leave the table
            h.sim.data().readableDetails(bad.get(0));
            h.sim.data().readableDetails(bad.get(2));
            SyncHarness.Result fixed = h.run("sync");
            assertThat(fixed.exitCode()).as(fixed.err()).isZero();
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details")).isEqualTo(ready.size() - 2);
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details__transcript WHERE _parent_id = '" + bad.get(0) + "'"))
                    .isEqualTo(h.sim.data().details(bad.get(0)).path("transcript").size());
            assertThat(h.strings("SELECT record_id FROM _rejected_records ORDER BY record_id"))
                    .containsExactlyElementsOf(List.of(bad.get(1), bad.get(3)).stream().sorted().toList());
        }
    }

    @Test
    void should_fail_the_run_when_more_records_than_the_threshold_are_set_aside_but_keep_every_other() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(400).build(), dir)) {
            List<String> ready = ready(h);
            for (int i = 0; i < 6; i++) {
                h.sim.data().unreadableDetails(ready.get(i * 40), i % 2 == 0 ? DetailsDefect.UNMAPPABLE : DetailsDefect.INVALID_UTF8);
            }
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).contains("6 of " + ready.size() + " records could not be read or stored")
                    .contains("clari.sync.max-rejected");
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details")).isEqualTo(ready.size() - 6);
            assertThat(h.scalar("SELECT COUNT(*) FROM _rejected_records")).isEqualTo(6);

            // not new any more: the rerun tries the six once each and ends well
            h.sim.requests().reset();
            SyncHarness.Result again = h.run("sync");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(h.sim.requests().count("/call-details")).isEqualTo(6);

            // a plain count as the limit
            h.sim.data().unreadableDetails(ready.get(1), DetailsDefect.UNMAPPABLE);
            h.sim.data().touch(ready.get(1));
            h.option("clari.sync.max-rejected", "0");
            assertThat(h.run("sync").exitCode()).isEqualTo(1);
        }
    }

    @Test
    void should_set_aside_an_answer_still_malformed_after_every_retry() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(60).build(), dir)) {
            h.option("clari.api.max-retries", "2");
            List<String> ready = ready(h);
            String cut = ready.get(5);
            h.sim.data().unreadableDetails(cut, DetailsDefect.ALWAYS_TRUNCATED);
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("1 record set aside");
            // the first attempt and two retries, then no more
            assertThat(h.sim.requests().count("/call-details")).isEqualTo(ready.size() + 2);
            assertThat(h.strings("SELECT reason FROM _rejected_records")).singleElement().asString()
                    .contains("malformed or truncated JSON").contains("after 2 retries");
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details")).isEqualTo(ready.size() - 1);
        }
    }

    @Test
    void should_set_aside_an_answer_above_the_size_cap() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(60).build(), dir)) {
            List<String> ready = ready(h);
            String big = ready.get(7);
            h.sim.data().longTranscript(big, 5_000);
            h.option("clari.details.max-answer-bytes", "200000");
            SyncHarness.Result r = h.run("sync");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(h.strings("SELECT record_id || ' ' || reason FROM _rejected_records")).singleElement().asString()
                    .startsWith(big).contains("above clari.details.max-answer-bytes (200000)");
            assertThat(h.sim.requests().count("/call-details")).isEqualTo(ready.size());
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details")).isEqualTo(ready.size() - 1);
        }
    }
}
