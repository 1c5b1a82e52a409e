package dev.clarisync.cli;

import dev.clarisync.api.AnswerIntegrity;
import dev.clarisync.api.ModifiedWindow;
import dev.clarisync.api.PageRequest;
import dev.clarisync.api.Pagination;
import dev.clarisync.sync.OutcomeKind;
import java.time.Instant;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The CLI's side of a failure: each outcome kind's documented exit code, and the one line it prints. */
class RunFailureTest {

    @Test
    void should_map_each_outcome_kind_to_its_documented_exit_code() {
        assertThat(ExitCodes.of(OutcomeKind.OK)).isZero();
        assertThat(ExitCodes.of(OutcomeKind.FAILED)).isEqualTo(1);
        assertThat(ExitCodes.of(OutcomeKind.BAD_CONFIGURATION)).isEqualTo(2);
        assertThat(ExitCodes.of(OutcomeKind.CREDENTIALS_REJECTED)).isEqualTo(3);
        assertThat(ExitCodes.of(OutcomeKind.QUOTA_EXHAUSTED)).isEqualTo(4);
        assertThat(ExitCodes.of(OutcomeKind.WAREHOUSE_BUSY)).isEqualTo(5);
    }

    @Test
    void should_print_an_inconsistent_answer_as_its_own_line_without_the_exception_class() {
        ModifiedWindow window = new ModifiedWindow(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-02-01T00:00:00Z"));
        Throwable inconsistent = catchThrowable(() -> AnswerIntegrity.checkPage(new PageRequest(window, 100, 50), 50,
                new Pagination(300L, false, null)));
        assertThat(inconsistent).isInstanceOf(AnswerIntegrity.InconsistentAnswerException.class);

        RunFailure f = RunFailure.of(new CamelExecutionException("route failed", null, inconsistent)); // as Camel hands it over

        assertThat(f.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(f.line()).isEqualTo("error: " + inconsistent.getMessage()).startsWith("error: GET /calls?")
                .doesNotContain("InconsistentAnswerException").doesNotContain("\n");
    }
}
