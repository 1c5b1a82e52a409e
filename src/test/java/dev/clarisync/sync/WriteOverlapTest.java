package dev.clarisync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.SyncHarness;
import dev.clarisync.cli.ExitCodes;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.warehouse.PostgresTestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The details writer commits a batch while the next batch is fetched: proven on a real PostgreSQL warehouse
 * whose backlog table the test holds locked, so the first batch's transaction cannot commit until the test
 * lets it. The lock is taken when the first details request arrives and let go only when the first request
 * of the second batch arrives, which can only happen if fetching goes on while the first batch is written.
 * (If it did not, the lock is let go after a minute so the run can end, and the test fails.)
 */
class WriteOverlapTest {
    static final int BATCH = 10;

    @TempDir
    Path dir;

    PostgresTestServer.Connection pg;
    String schema;
    Connection holder;
    final CountDownLatch nextBatchArrived = new CountDownLatch(1);
    /** Details rows committed when the second batch's first request arrived (-1: it never arrived). */
    final AtomicLong committedThen = new AtomicLong(-1);
    /** Set when the guard had to let the lock go: the first batch waited for a commit that nothing else would allow. */
    final AtomicBoolean guardReleased = new AtomicBoolean();

    @BeforeEach
    void setUp() throws SQLException {
        pg = PostgresTestServer.get();
        schema = PostgresTestServer.freshSchema("overlap");
        holder = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
        holder.setAutoCommit(false);
    }

    @AfterEach
    void tearDown() throws SQLException {
        holder.close();
    }

    SyncHarness harness() {
        SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(60).build(), dir);
        h.option("warehouse.url", pg.url()).option("warehouse.user", pg.user()).option("warehouse.schema", schema)
                .option("clari.details.batch-size", String.valueOf(BATCH));
        return h;
    }

    SyncHarness.Result sync(SyncHarness h) {
        return h.runWith(Map.of("CLARI_API_KEY", h.config.apiKey(), "CLARI_API_PASSWORD", h.config.apiPassword(),
                "WAREHOUSE_PASSWORD", pg.password() == null ? "" : pg.password()), "sync");
    }

    /** Holds the backlog locked from the first details request on, plus {@code alsoInTheLock} in the same transaction. */
    void holdTheBacklogFromTheFirstDetailsRequest(SyncHarness h, String... alsoInTheLock) {
        h.sim.onDetailsRequest(1, () -> execute(List.of(alsoInTheLock), "LOCK TABLE " + table("_details_backlog") + " IN EXCLUSIVE MODE"));
        h.sim.onDetailsRequest(BATCH + 1, () -> {
            nextBatchArrived.countDown();
            committedThen.set(scalar("SELECT COUNT(*) FROM " + table("_processed") + " WHERE scope = 'call_details'"));
        });
        Thread guard = new Thread(() -> {
            try {
                if (!nextBatchArrived.await(60, TimeUnit.SECONDS)) {
                    guardReleased.set(true);
                    release(); // no overlap: the run would wait for the lock for ever
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "overlap-guard");
        guard.setDaemon(true);
        guard.start();
    }

    @Test
    void should_fetch_the_next_batch_while_the_previous_one_commits() throws SQLException {
        try (SyncHarness h = harness()) {
            holdTheBacklogFromTheFirstDetailsRequest(h);
            SyncHarness.Result r = sync(h);
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(guardReleased).as("the second batch's first request arrived while the first batch could not commit").isFalse();
            assertThat(committedThen.get()).as("details committed when the second batch started").isZero();
            assertDetailsExact(h);
            assertThat(h.sim.requests().count("/call-details")).as("each call's details fetched once").isEqualTo(ready(h).size());
        }
    }

    @Test
    void should_fail_cleanly_when_a_write_fails_during_the_next_fetch_and_rerun_exactly() throws SQLException {
        try (SyncHarness h = harness()) {
            // from the moment the lock is let go, every write of details fails (as a full disk would)
            holdTheBacklogFromTheFirstDetailsRequest(h,
                    "CREATE FUNCTION " + table("refuse_writes") + "() RETURNS trigger LANGUAGE plpgsql AS"
                            + " $$ BEGIN RAISE EXCEPTION 'no space left on device (test)'; END $$",
                    "CREATE TRIGGER refuse_writes BEFORE DELETE ON " + table("_details_backlog")
                            + " FOR EACH STATEMENT EXECUTE FUNCTION " + table("refuse_writes") + "()");
            SyncHarness.Result r = sync(h);
            assertThat(guardReleased).as("the write failed while the next batch was being fetched").isFalse();
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.err()).contains("no space left on device (test)");
            // the run stopped at the step after the failure: the batch being fetched, no further
            assertThat(h.sim.requests().count("/call-details")).isBetween((long) BATCH + 1, 2L * BATCH);
            assertThat(scalar("SELECT COUNT(*) FROM " + table("_processed") + " WHERE scope = 'call_details'")).isZero();
            assertThat(scalar("SELECT COUNT(*) FROM " + table("_details_backlog"))).isEqualTo(ready(h).size());

            execute(List.of(), "DROP TRIGGER refuse_writes ON " + table("_details_backlog"));
            holder.commit();
            h.sim.requests().reset();
            SyncHarness.Result again = sync(h);
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertDetailsExact(h);
            assertThat(h.sim.requests().count("/call-details")).isEqualTo(ready(h).size());
        }
    }

    void assertDetailsExact(SyncHarness h) {
        List<String> ready = ready(h);
        List<String> stored = strings("SELECT id FROM " + table("call_details"));
        assertThat(stored).hasSameSizeAs(ready);
        assertThat(new HashSet<>(stored)).isEqualTo(new HashSet<>(ready));
        long turns = ready.stream().mapToLong(id -> h.sim.data().details(id).path("transcript").size()).sum();
        assertThat(scalar("SELECT COUNT(*) FROM " + table("call_details__transcript"))).isEqualTo(turns);
        assertThat(scalar("SELECT COUNT(*) FROM " + table("_details_backlog"))).isZero();
    }

    static List<String> ready(SyncHarness h) {
        return h.sim.data().callIds().stream().filter(id -> {
            JsonNode call = h.sim.data().listItem(id);
            return StreamCatalog.READY.contains(call.path("status").asText());
        }).toList();
    }

    String table(String name) {
        return "\"" + schema + "\".\"" + name + "\"";
    }

    synchronized void execute(List<String> more, String first) {
        try (Statement s = holder.createStatement()) {
            s.execute(first);
            for (String sql : more) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized void release() {
        try {
            holder.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized long scalar(String sql) {
        try (Statement s = holder.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long n = rs.getLong(1);
            holder.commit(); // ends the test's transaction: inside the hook, this lets the lock go
            return n;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    synchronized List<String> strings(String sql) {
        List<String> out = new ArrayList<>();
        try (Statement s = holder.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            holder.commit();
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
