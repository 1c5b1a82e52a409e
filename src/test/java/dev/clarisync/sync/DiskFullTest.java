package dev.clarisync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.SyncHarness;
import dev.clarisync.cli.ExitCodes;
import dev.clarisync.sim.SimulatorConfig;
import dev.clarisync.warehouse.PostgresTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warehouse's disk fills up (issue 23, item 5), on a real small filesystem: a tmpfs mounted for the test (the suite
 * runs as root here). The one error line names the full disk and its path, not the database's follow-on error; the
 * request ledger holds every request the failed run sent; after space is freed (the tmpfs grown in place) the next run
 * completes exactly. PostgreSQL plays the same with its tables in a tablespace on such a filesystem (SQLState 53100).
 */
class DiskFullTest {
    private static final String DISK_FULL = "error: the warehouse's disk is full: ";
    private final List<Path> mounted = new ArrayList<>();

    @TempDir
    Path dir;

    @Test
    void should_name_the_full_disk_record_the_failed_runs_requests_and_resume_once_there_is_space() throws Exception {
        Path disk = mount(dir.resolve("disk"), "1m");
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(300).build(), disk)) {
            SyncHarness.Result failed = h.run("sync");
            long sentByFailedRun = h.sim.requests().total();

            assertThat(failed.exitCode()).as(failed.err()).isEqualTo(ExitCodes.FAILED);
            assertThat(errorLines(failed)).singleElement().asString()
                    .startsWith(DISK_FULL + disk.resolve("test.duckdb"))
                    .contains("free space on that volume or give the warehouse a larger one, then run again");
            assertThat(failed.err()).doesNotContain("no transaction is active").doesNotContain("could not record");

            grow(disk, "64m"); // the operator frees space
            assertThat(h.scalar("SELECT SUM(requests) FROM _request_ledger")).as("the failed run's requests are in the ledger")
                    .isEqualTo(sentByFailedRun);
            assertThat(h.strings("SELECT message FROM _sync_runs WHERE outcome = 'failed'")).singleElement().asString()
                    .startsWith(DISK_FULL.substring("error: ".length()));

            SyncHarness.Result rerun = h.run("sync");
            assertThat(rerun.exitCode()).as(rerun.err()).isZero();
            assertThat(h.scalar("SELECT COUNT(*) FROM calls")).isEqualTo(300);
            assertThat(h.scalar("SELECT COUNT(*) FROM _details_backlog")).as("every details fetch owed is done").isZero();
            assertThat(h.scalar("SELECT COUNT(*) FROM call_details")).isEqualTo(detailsOfACleanRun());
            assertThat(h.scalar("SELECT SUM(requests) FROM _request_ledger")).isEqualTo(h.sim.requests().total());
        }
    }

    @Test
    void should_name_the_full_disk_of_a_postgresql_warehouse_and_still_record_the_ledger() throws Exception {
        PostgresTestServer.Connection pg = PostgresTestServer.get();
        // outside the test's own directory, which only root may enter: the server runs as postgres
        Path space = mount(Files.createTempDirectory("clarisync-tablespace-"), "512k");
        run("chown", "postgres:postgres", space.toString());
        String database = PostgresTestServer.freshSchema("diskfull");
        String tablespace = database + "_ts";
        try (Connection admin = DriverManager.getConnection(pg.url(), pg.user(), pg.password()); Statement s = admin.createStatement()) {
            s.execute("CREATE TABLESPACE " + tablespace + " LOCATION '" + space + "'");
            s.execute("CREATE DATABASE " + database);
            // the warehouse's tables (not the catalog, not the server's WAL) land on the small filesystem
            s.execute("ALTER DATABASE " + database + " SET default_tablespace = " + tablespace);
        }
        String url = pg.url().substring(0, pg.url().lastIndexOf('/') + 1) + database;
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(300).build(), dir)) {
            h.option("warehouse.url", url).option("warehouse.user", pg.user()).option("warehouse.schema", "clari");
            SyncHarness.Result failed = h.run("sync");
            long sentByFailedRun = h.sim.requests().total();

            assertThat(failed.exitCode()).as(failed.err()).isEqualTo(ExitCodes.FAILED);
            assertThat(errorLines(failed)).singleElement().asString().startsWith(DISK_FULL)
                    .contains(" on the database server (under its data directory or tablespace) could not be written");
            assertThat(failed.err()).doesNotContain("could not record");
            try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT SUM(requests) FROM clari._request_ledger")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the failed run's requests are in the ledger").isEqualTo(sentByFailedRun);
            }
        } finally {
            try (Connection admin = DriverManager.getConnection(pg.url(), pg.user(), pg.password()); Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                s.execute("DROP TABLESPACE IF EXISTS " + tablespace);
            }
        }
    }

    /** How many call_details rows the same account gives on a disk with room. */
    private long detailsOfACleanRun() {
        try (SyncHarness clean = new SyncHarness(SimulatorConfig.builder().callCount(300).build(), dir)) {
            assertThat(clean.run("sync").exitCode()).isZero();
            return clean.scalar("SELECT COUNT(*) FROM call_details");
        }
    }

    private static List<String> errorLines(SyncHarness.Result r) {
        return r.err().lines().filter(l -> l.startsWith("error:")).toList();
    }

    /** A tmpfs of {@code size} at {@code at} (a real filesystem that fills up), unmounted after the test. */
    private Path mount(Path at, String size) throws IOException, InterruptedException {
        Files.createDirectories(at);
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString());
        mounted.add(at);
        return at;
    }

    private static void grow(Path at, String size) throws IOException, InterruptedException {
        run("mount", "-o", "remount,size=" + size, at.toString());
    }

    /** Before the temporary directory is deleted: a mount point cannot be. */
    @AfterEach
    void unmount() throws IOException, InterruptedException {
        for (Path at : mounted) {
            run("umount", at.toString());
            Files.delete(at);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (the test needs root to mount a tmpfs): "
                    + new String(p.getInputStream().readAllBytes()));
        }
    }
}
