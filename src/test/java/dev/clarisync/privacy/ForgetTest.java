package dev.clarisync.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.SyncHarness;
import dev.clarisync.config.Secret;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25, forget: one person erased in one transaction, recorded in {@code _forgotten}, and kept erased by a later
 * sync that rewrites every call (list edits, regenerated details, {@code clari.details.mode=full}) and adds new ones.
 */
class ForgetTest {
    @TempDir
    Path dir;

    @Test
    void should_forget_a_person_and_keep_them_forgotten_on_duckdb() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(100).build(), dir)) {
            forgetThenRewrite(h, PrivacyTarget.duckDb(h, "forget"), false);
        }
    }

    @Test
    void should_forget_a_person_from_the_clear_value_in_a_hashed_postgresql_warehouse() {
        try (SyncHarness h = new SyncHarness(SimulatorConfig.builder().callCount(80).build(), dir)) {
            forgetThenRewrite(h, PrivacyTarget.postgres(h, "forget"), true);
        }
    }

    /** Rows naming the person, outside _forgotten (which keeps their salted hashes by design). */
    static List<String> named(PrivacyTarget t, Set<String> forms) {
        return t.holding(forms).stream().filter(f -> !f.startsWith("_forgotten.")).toList();
    }

    static void forgetThenRewrite(SyncHarness h, PrivacyTarget t, boolean hashed) {
        String hash = "--clari.privacy.hash=" + (hashed ? "emails,phones,names" : "");
        assertThat(t.run("sync", hash).exitCode()).isZero();
        // an external participant with a name, an email and a phone, on a finished call
        JsonNode person = null;
        for (String id : h.sim.data().callIds()) {
            for (JsonNode p : h.sim.data().listItem(id).path("externalParticipants")) {
                if (person == null && p.hasNonNull("name") && p.hasNonNull("email") && p.hasNonNull("phone")) {
                    person = p;
                }
            }
        }
        assertThat(person).isNotNull();
        Set<String> forms = new LinkedHashSet<>(List.of(person.get("name").asText(), person.get("email").asText(), person.get("phone").asText()));
        PersonHasher hasher = new PersonHasher(Secret.of(PrivacyTarget.SALT));
        if (hashed) {
            forms.add(hasher.token(PersonHasher.Kind.NAMES, person.get("name").asText()));
            forms.add(hasher.token(PersonHasher.Kind.EMAILS, person.get("email").asText()));
            forms.add(hasher.token(PersonHasher.Kind.PHONES, person.get("phone").asText()));
        }
        assertThat(t.holding(forms)).isNotEmpty();
        long calls = t.scalar("SELECT COUNT(*) FROM " + t.t("calls"));

        SyncHarness.Result dry = t.run("forget", hash, "--dry-run", "--email", person.get("email").asText().toUpperCase());
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("calls__external_participants: would change").contains("dry run: nothing was changed");
        assertThat(t.holding(forms)).isNotEmpty();

        SyncHarness.Result forget = t.run("forget", hash, "--email=" + person.get("email").asText());
        assertThat(forget.exitCode()).as(forget.err()).isZero();
        assertThat(forget.out()).contains("calls__external_participants: changed").contains("_forgotten: recorded 3 salted hashes");
        assertThat(named(t, forms)).isEmpty();
        assertThat(t.scalar("SELECT COUNT(*) FROM " + t.t("call_details__transcript") + " WHERE text = '[forgotten]'")).isPositive();
        assertThat(t.scalar("SELECT COUNT(*) FROM " + t.t("calls"))).isEqualTo(calls);
        assertThat(t.scalar("SELECT COUNT(*) FROM " + t.t("_forgotten"))).isEqualTo(3);
        assertThat(forget.out() + forget.err()).doesNotContain(PrivacyTarget.SALT);

        // every call rewritten (list edits, regenerated details, a full details reload) and new calls: still forgotten
        for (String id : h.sim.data().callIds()) {
            h.sim.data().touch(id);
            h.sim.data().reviseSummary(id);
        }
        h.sim.data().addCalls(15);
        SyncHarness.Result again = t.run("sync", hash, "--clari.details.mode=full");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(t.scalar("SELECT COUNT(*) FROM " + t.t("calls"))).isEqualTo(calls + 15);
        assertThat(named(t, forms)).isEmpty();
        assertThat(t.scalar("SELECT COUNT(*) FROM " + t.t("call_details__transcript") + " WHERE text = '[forgotten]'")).isPositive();

        // forgetting needs the salt the warehouse's forgotten people were hashed with
        SyncHarness.Result noSalt = h.runWith(java.util.Map.of("CLARI_API_KEY", h.config.apiKey(), "CLARI_API_PASSWORD",
                h.config.apiPassword()), "forget", "--email=x@y.example");
        assertThat(noSalt.exitCode()).isEqualTo(2);
    }
}
