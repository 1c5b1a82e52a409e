package dev.clarisync.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NamingTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "externalParticipants | external_participants",
        "joinedParticipants   | joined_participants",
        "userId               | user_id",
        "isOrganizer          | is_organizer",
        "talk_listen_ratio    | talk_listen_ratio",
        "num_questions_asked_by_reps | num_questions_asked_by_reps",
        "fooBar               | foo_bar",
        "foo_bar              | foo_bar",
        "Id                   | id",
        "ID                   | id",
        "HTTPServer           | http_server",
        "phase2Result         | phase2_result",
        "a  b--c              | a_b_c",
        "__x__                | _x_",
        "`O'Brien \"q\"`      | o_brien_q_",
        "名前                  | _",
        "🎉party              | _party",
        "`a.b/c`              | a_b_c",
        "`drop table x;--`    | drop_table_x_",
        "``                   | _",
    })
    void part_follows_the_rule(String key, String expected) {
        assertThat(Naming.part(key)).isEqualTo(expected);
    }

    @Test
    void nested_parts_keep_the_double_underscore_separator() {
        assertThat(Naming.join(List.of("metrics", "talk_listen_ratio"))).isEqualTo("metrics__talk_listen_ratio");
        assertThat(Naming.join(List.of("crm_info", "dealId"))).isEqualTo("crm_info__deal_id");
        assertThat(Naming.join(List.of("a_", "_b"))).isEqualTo("a____b");
        assertThat(Naming.extend("calls__metrics__categories", List.of("phrases_matched")))
                .isEqualTo("calls__metrics__categories__phrases_matched");
    }

    @Test
    void a_leading_digit_gets_an_underscore_prefix_only_at_the_start() {
        assertThat(Naming.join(List.of("9lives"))).isEqualTo("_9lives");
        assertThat(Naming.join(List.of("a", "9lives"))).isEqualTo("a__9lives");
        assertThat(Naming.extend("calls", List.of("2nd"))).isEqualTo("calls__2nd");
    }

    @Test
    void long_names_are_cut_to_63_with_a_stable_hash_of_the_source_path() {
        String longName = "x".repeat(70);
        String fitted = Naming.fitLength(longName, "calls/" + longName);
        assertThat(fitted).hasSize(63).startsWith("x".repeat(54) + "_").isEqualTo(Naming.fitLength(longName, "calls/" + longName));
        assertThat(fitted.substring(55)).isEqualTo(Naming.hash8("calls/" + longName));
        assertThat(Naming.fitLength("x".repeat(63), "p")).isEqualTo("x".repeat(63));
    }

    @Test
    void the_hash_is_sha256_and_never_changes() {
        // pinned: a different hash would rename existing columns of every warehouse
        assertThat(Naming.hash8("x")).isEqualTo("2d711642");
        assertThat(Naming.disambiguate("foo_bar", "calls/fooBar", 0)).isEqualTo("foo_bar_946b5001");
        assertThat(Naming.disambiguate("y".repeat(63), "p", 0)).hasSize(63);
    }
}
