package dev.clarisync.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one text clean-up rule per dialect, on the characters that need it and on those that must stay. */
class TextRuleTest {
    private static final String NUL = String.valueOf((char) 0);
    private static final String HIGH = String.valueOf((char) 0xD800);
    private static final String LOW = String.valueOf((char) 0xDC00);
    private static final String EMOJI = new String(Character.toChars(0x1F600));

    @Test
    void should_remove_nul_only_where_the_database_cannot_hold_it() {
        String text = "a" + NUL + "b" + NUL + NUL;
        assertThat(TextRule.UNICODE_WITHOUT_NUL.clean(text)).isEqualTo("ab");
        assertThat(TextRule.UNICODE.clean(text)).isSameAs(text);
    }

    @Test
    void should_replace_unpaired_surrogates_of_either_half_and_keep_pairs() {
        for (TextRule rule : TextRule.values()) {
            assertThat(rule.clean("x" + HIGH)).as(rule.name()).isEqualTo("x\uFFFD");
            assertThat(rule.clean(LOW + "y")).as(rule.name()).isEqualTo("\uFFFDy");
            assertThat(rule.clean(HIGH + HIGH + EMOJI + LOW)).as(rule.name()).isEqualTo("\uFFFD\uFFFD" + EMOJI + "\uFFFD");
            assertThat(rule.clean(EMOJI)).as(rule.name()).isSameAs(EMOJI);
        }
    }

    @Test
    void should_keep_other_control_characters_and_return_clean_text_itself() {
        String text = "tab\tbell\u0007esc\u001bdel\u007f line\n" + EMOJI + " é ü 中";
        for (TextRule rule : TextRule.values()) {
            assertThat(rule.clean(text)).as(rule.name()).isSameAs(text);
            assertThat(rule.cleanValue(42L)).isEqualTo(42L);
            assertThat(rule.clean(null)).isNull();
        }
        assertThat(TextRule.UNICODE_WITHOUT_NUL.clean(NUL + "\u0001" + HIGH + "z")).isEqualTo("\u0001\uFFFDz");
    }

    @Test
    void should_be_postgresql_s_rule_only_on_postgresql() {
        assertThat(new PostgresDialect().textRule()).isEqualTo(TextRule.UNICODE_WITHOUT_NUL);
        assertThat(new DuckDbDialect().textRule()).isEqualTo(TextRule.UNICODE);
        assertThat(new GenericAnsiDialect().textRule()).isEqualTo(TextRule.UNICODE);
    }
}
