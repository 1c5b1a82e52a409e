package dev.clarisync.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.config.Secret;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one JSON transform of issue 25, on small fixtures with field names as the API sends them. */
class RecordFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Secret SALT = Secret.of(PrivacyTarget.SALT);
    private static final PersonHasher HASHER = new PersonHasher(SALT);

    static ObjectNode call() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"id":"c1","title":"Call with Dana Lee","status":"POST_PROCESSING_DONE",
                 "users":[{"userId":"u1","userEmail":"Sam.Rep@SellerCo.example","personId":0}],
                 "externalParticipants":[{"name":"Dana Lee","email":"dana.lee@acme.example","phone":"+12065550404","personId":1}],
                 "contact_names":["Dana Lee"],
                 "metrics":{"categories":[{"name":"Pricing","phrases_matched":[{"text":"too expensive","user_id":"u1","name":"Sam Rep"}]}]},
                 "summary":{"full_summary":"Sam Rep met DANA  LEE (dana.lee@acme.example, (206) 555-0404).",
                   "key_action_items":[{"action_item":"Send Dana Lee the proposal","owner_name":"Sam Rep","speaker_name":"Dana Lee"}]},
                 "transcript":[{"text":"Hi, this is Dana Lee from Acme.","personId":1,"speaker_name":"Dana Lee","speaker_email":"dana.lee@acme.example"},
                   {"text":"Hello Dana Lee, Sam here.","personId":0,"speaker_name":"Sam Rep"}]}
                """);
    }

    static RecordFilter filter(Set<PersonHasher.Kind> kinds, Set<String> forgotten, List<String> drop) {
        return new RecordFilter(new PrivacySettings(kinds, SALT, drop, List.of(), List.of()), HASHER, forgotten,
                Map.of("u1", new Person("Sam Rep", "sam.rep@sellerco.example", null, null)));
    }

    @Test
    void should_hash_every_form_of_every_person_and_leave_the_rest() throws Exception {
        ObjectNode out = filter(EnumSet.allOf(PersonHasher.Kind.class), Set.of(), List.of()).apply("calls", call());
        String text = out.toString().toLowerCase();
        for (String clear : List.of("dana", "lee", "sam rep", "rep@", "acme.example", "555", "0404")) {
            assertThat(text).as(clear).doesNotContain(clear);
        }
        String dana = HASHER.token(PersonHasher.Kind.NAMES, "dana lee");
        assertThat(out.get("title").asText()).isEqualTo("Call with " + dana);
        assertThat(out.at("/externalParticipants/0/email").asText()).isEqualTo(HASHER.token(PersonHasher.Kind.EMAILS, "DANA.LEE@acme.example "));
        assertThat(out.at("/users/0/userEmail").asText()).isEqualTo(HASHER.token(PersonHasher.Kind.EMAILS, "sam.rep@sellerco.example"));
        assertThat(out.at("/externalParticipants/0/phone").asText()).isEqualTo(HASHER.token(PersonHasher.Kind.PHONES, "+1 (206) 555-0404"));
        assertThat(out.at("/summary/full_summary").asText()).contains(dana).contains(HASHER.token(PersonHasher.Kind.PHONES, "12065550404"));
        assertThat(out.at("/metrics/categories/0/name").asText()).isEqualTo("Pricing");
        assertThat(out.at("/metrics/categories/0/phrases_matched/0/text").asText()).isEqualTo("too expensive");
        assertThat(out.at("/transcript/0/text").asText()).isEqualTo("Hi, this is " + dana + " from Acme.");
        assertThat(out.get("id").asText()).isEqualTo("c1");
    }

    @Test
    void should_forget_a_person_everywhere_and_their_turns() throws Exception {
        Set<String> forgotten = Set.of(HASHER.token(PersonHasher.Kind.EMAILS, "dana.lee@acme.example"),
                HASHER.token(PersonHasher.Kind.NAMES, "Dana Lee"));
        ObjectNode out = filter(Set.of(), forgotten, List.of()).apply("calls", call());
        assertThat(out.get("externalParticipants")).isEmpty();
        assertThat(out.toString().toLowerCase()).doesNotContain("dana").doesNotContain("0404").doesNotContain("555");
        assertThat(out.at("/transcript/0/text").asText()).isEqualTo(RecordFilter.FORGOTTEN);
        assertThat(out.at("/transcript/1/text").asText()).isEqualTo("Hello [forgotten], Sam here.");
        assertThat(out.at("/transcript/1/speaker_name").asText()).isEqualTo("Sam Rep");
        assertThat(out.get("title").asText()).isEqualTo("Call with [forgotten]");
    }

    @Test
    void should_drop_paths_and_never_change_the_record_given() throws Exception {
        ObjectNode in = call();
        JsonNode before = in.deepCopy();
        ObjectNode out = filter(Set.of(), Set.of(), List.of("summary", "transcript.text", "external_participants.phone")).apply("calls", in);
        assertThat(in).isEqualTo(before);
        assertThat(out.has("summary")).isFalse();
        assertThat(out.at("/transcript/0").has("text")).isFalse();
        assertThat(out.at("/transcript/0/speaker_name").asText()).isEqualTo("Dana Lee");
        assertThat(out.at("/externalParticipants/0").has("phone")).isFalse();
    }

    @Test
    void should_hash_alike_after_normalising_and_never_show_the_salt() {
        assertThat(HASHER.token(PersonHasher.Kind.EMAILS, " A@B.example")).isEqualTo(HASHER.token(PersonHasher.Kind.EMAILS, "a@b.example"));
        assertThat(HASHER.token(PersonHasher.Kind.NAMES, "Dana  LEE ")).isEqualTo(HASHER.token(PersonHasher.Kind.NAMES, "dana lee"));
        assertThat(HASHER.token(PersonHasher.Kind.NAMES, "x")).startsWith("h:").hasSize(66);
        assertThat(new PersonHasher(Secret.of("another-salt-0123456789")).token(PersonHasher.Kind.NAMES, "x"))
                .isNotEqualTo(HASHER.token(PersonHasher.Kind.NAMES, "x"));
        assertThat(PrivacySettings.from(Map.of("clari.privacy.hash", "emails", "clari.privacy.salt", PrivacyTarget.SALT)).toString())
                .doesNotContain(PrivacyTarget.SALT);
    }
}
