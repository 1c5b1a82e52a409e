package dev.clarisync.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.clarisync.SyncHarness;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One DuckDB warehouse filled by the real pipeline ({@code sync} through {@link SyncHarness} against the simulator),
 * shared by the report tests of this JVM: syncing once keeps the suite fast. Tests must not write data into it
 * (creating the views is fine: every {@link AnalyticsViews#ensure} gives the same views).
 */
final class SyncedWarehouse {
    static final int CALLS = 300;
    /** A fixed span, so every run (and the PostgreSQL twin) holds the same calls. */
    static final Instant END = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

    private static SyncHarness harness;

    private SyncedWarehouse() {
    }

    static SimulatorConfig config() {
        return SimulatorConfig.builder().callCount(CALLS).span(START, END).build();
    }

    static synchronized SyncHarness get() {
        if (harness == null) {
            try {
                Path dir = Files.createTempDirectory("clarisync-report-");
                SyncHarness h = new SyncHarness(config(), dir);
                arrangeMultiCallDeal(h);
                SyncHarness.Result r = h.run("sync");
                assertThat(r.exitCode()).as(r.err()).isZero();
                harness = h;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    h.close();
                    delete(dir);
                }, "report-fixture-cleanup"));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return harness;
    }

    /** The deal name given to several calls, so one deal has a real history (with characters that must be escaped). */
    static final String MULTI_CALL_DEAL = "Acme \"Mega\" </script><b>Deal</b> 🚀";
    static final int MULTI_CALL_DEAL_CALLS = 6;

    /** Gives {@link #MULTI_CALL_DEAL} to some calls that have a deal but no CRM deal id (the id would win as key). */
    static void arrangeMultiCallDeal(SyncHarness h) {
        List<String> picked = h.sim.data().callIds().stream()
                .filter(id -> {
                    JsonNode c = h.sim.data().listItem(id);
                    return c.has("deal_stage_before_call") && c.path("crm_info").path("deal_id").isMissingNode();
                })
                .limit(MULTI_CALL_DEAL_CALLS).toList();
        assertThat(picked).hasSize(MULTI_CALL_DEAL_CALLS);
        for (String id : picked) {
            h.sim.data().setExtraField(id, "deal_name", TextNode.valueOf(MULTI_CALL_DEAL));
        }
    }

    static Warehouse open() {
        return Warehouse.open("jdbc:duckdb:" + get().db, "", "", "");
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
