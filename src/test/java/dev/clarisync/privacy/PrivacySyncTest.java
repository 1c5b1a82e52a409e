package dev.clarisync.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.SyncHarness;
import dev.clarisync.sim.DetailsDefect;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25, hashing and dropping: after a hashed sync no text column of any table holds a participant's email, phone
 * or name in clear, joins on the hashed email match as often as in clear, and the salt is in no output or table.
 */
class PrivacySyncTest {
    @TempDir
    Path dir;

    static final String JOIN = "SELECT COUNT(*) FROM {calls__users} cu JOIN {users} u ON cu.user_email = u.email";

    /**
     * A misspelt privacy setting stops the service at start (exit 2, the key named), like any other key: before, `run`
     * started and every scheduled sync failed on it. Nothing is requested and no warehouse file is created.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void should_refuse_a_misspelt_privacy_setting_at_start_of_the_service() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(5).build(), dir)) {
            SyncHarness.Result r = h.run("run", "--clari.privacy.hash=emials", "--clari.privacy.salt=0123456789abcdef0123");
            assertThat(r.exitCode()).as(r.err()).isEqualTo(dev.clarisync.cli.ExitCodes.BAD_CONFIGURATION);
            assertThat(r.err()).contains("clari.privacy.hash").contains("emials").doesNotContain("0123456789abcdef0123");
            assertThat(h.sim.requests().total()).isZero();
        }
    }

    @Test
    void should_store_no_person_in_clear_and_keep_joins_on_duckdb() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(150).build(), dir)) {
            PrivacyTarget clear = PrivacyTarget.duckDb(h, "clear");
            assertThat(clear.run("sync").exitCode()).isZero();
            long joinsInClear = clear.scalar(join(clear));
            assertThat(joinsInClear).isPositive();
            assertThat(clear.holding(PrivacyTarget.people(h))).isNotEmpty(); // the scan finds clear values when they are there

            PrivacyTarget hashed = PrivacyTarget.duckDb(h, "hashed");
            hashedSync(h, hashed, joinsInClear);

            // other hashing settings on this warehouse: refused (exit 2), nothing written; a rebuild re-hashes everything
            long calls = hashed.scalar("SELECT COUNT(*) FROM calls");
            SyncHarness.Result inClear = hashed.run("sync");
            assertThat(inClear.exitCode()).isEqualTo(2);
            assertThat(inClear.err()).contains("sync --rebuild").doesNotContain(PrivacyTarget.SALT);
            SyncHarness.Result fewer = hashed.run("sync", "--clari.privacy.hash=emails");
            assertThat(fewer.exitCode()).isEqualTo(2);
            assertThat(hashed.scalar("SELECT COUNT(*) FROM calls")).isEqualTo(calls);
            SyncHarness.Result rebuilt = hashed.run("sync", "--clari.privacy.hash=emails", "--rebuild");
            assertThat(rebuilt.exitCode()).as(rebuilt.err()).isZero();
            assertThat(hashed.scalar("SELECT COUNT(*) FROM calls")).isEqualTo(calls);
            assertThat(hashed.scalar("SELECT COUNT(*) FROM calls WHERE title LIKE 'Call with h:%'")).isZero();
            assertThat(hashed.scalar("SELECT COUNT(*) FROM calls__external_participants WHERE name LIKE 'h:%'")).isZero();
            assertThat(hashed.scalar("SELECT COUNT(*) FROM calls__external_participants WHERE email NOT LIKE 'h:%'")).isZero();
        }
    }

    @Test
    void should_store_no_person_in_clear_and_keep_joins_on_postgresql() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(120).build(), dir)) {
            PrivacyTarget clear = PrivacyTarget.postgres(h, "privacy_clear");
            assertThat(clear.run("sync").exitCode()).isZero();
            long joinsInClear = clear.scalar(join(clear));
            assertThat(joinsInClear).isPositive();
            hashedSync(h, PrivacyTarget.postgres(h, "privacy_hashed"), joinsInClear);
        }
    }

    @Test
    void should_never_store_dropped_fields_but_still_fetch_the_details_wanted() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(60).build(), dir)) {
            PrivacyTarget t = PrivacyTarget.duckDb(h, "dropped");
            SyncHarness.Result r = t.run("sync", "--clari.privacy.drop=transcript,summary.full_summary,external_participants.phone");
            assertThat(r.exitCode()).as(r.err()).isZero();
            long details = t.scalar("SELECT COUNT(*) FROM call_details");
            assertThat(details).isPositive().isEqualTo(h.sim.requests().count("/call-details"));
            assertThat(t.scalar("SELECT COUNT(*) FROM call_details__transcript")).isZero();
            assertThat(t.scalar("SELECT COUNT(*) FROM call_details WHERE summary__full_summary IS NOT NULL")).isZero();
            assertThat(t.scalar("SELECT COUNT(*) FROM call_details__summary__key_action_items")).isPositive();
            assertThat(t.scalar("SELECT COUNT(*) FROM calls__external_participants WHERE phone IS NOT NULL")).isZero();
            assertThat(t.scalar("SELECT COUNT(*) FROM calls__external_participants WHERE email IS NOT NULL")).isPositive();
        }
    }

    static String join(PrivacyTarget t) {
        return JOIN.replace("{calls__users}", t.t("calls__users")).replace("{users}", t.t("users"));
    }

    static void hashedSync(SyncHarness h, PrivacyTarget t, long joinsInClear) {
        String unreadable = h.sim.data().callIds().stream().filter(id -> "POST_PROCESSING_DONE".equals(
                h.sim.data().listItem(id).path("status").asText()) && h.sim.data().listItem(id).path("externalParticipants").size() > 0)
                .findFirst().orElseThrow();
        h.sim.data().unreadableDetails(unreadable, DetailsDefect.INVALID_UTF8);
        SyncHarness.Result r = t.run("sync", "--clari.privacy.hash=emails,phones,names");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Set<String> people = PrivacyTarget.people(h);
        assertThat(t.holding(people)).isEmpty();
        assertThat(t.scalar(join(t))).isEqualTo(joinsInClear);
        assertThat(t.scalar("SELECT COUNT(*) FROM " + t.t("calls") + " WHERE title LIKE 'Call with h:%'")).isPositive();
        assertThat(t.scalar("SELECT COUNT(*) FROM " + t.t("_rejected_records"))).isEqualTo(1);
        assertThat(r.out() + r.err()).doesNotContain(PrivacyTarget.SALT);
        assertThat(t.holding(Set.of(PrivacyTarget.SALT))).isEmpty();
        people.forEach(p -> assertThat(r.err()).as("logs").doesNotContain(p));
    }
}
