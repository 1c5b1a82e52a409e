package dev.clarisync.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewSqlTest {

    @Test
    void should_fill_every_named_placeholder_and_leave_the_header_comment_out() {
        String sql = ViewSql.load("v_action_items", Map.of("action_items", "(SELECT 1) ", "v_calls", "\"s\".\"v_calls\""));

        assertThat(sql).startsWith("SELECT i.call_id").doesNotContain("${").doesNotContain("--")
                .contains("FROM (SELECT 1)  i").contains("JOIN \"s\".\"v_calls\" c").doesNotEndWith("\n");
    }

    @Test
    void should_take_values_with_dollar_signs_and_backslashes_literally() {
        String sql = ViewSql.load("v_deal_progression", Map.of("v_calls", "\"a$1\\b\""));

        assertThat(sql).contains("FROM \"a$1\\b\" c").contains("LIKE 'closed%'");
    }

    @Test
    void should_fail_at_once_on_a_placeholder_without_a_value() {
        assertThatThrownBy(() -> ViewSql.load("v_action_items", Map.of("v_calls", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("${action_items}");
    }

    @Test
    void should_fail_at_once_on_a_value_no_placeholder_takes() {
        assertThatThrownBy(() -> ViewSql.load("v_deal_progression", Map.of("v_calls", "x", "users", "y")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("users");
    }

    @Test
    void should_have_a_body_for_every_view_it_creates() {
        for (String view : AnalyticsViews.NAMES) {
            assertThat(ViewSql.class.getResource("/sql/views/" + view + ".sql")).as(view).isNotNull();
        }
    }
}
