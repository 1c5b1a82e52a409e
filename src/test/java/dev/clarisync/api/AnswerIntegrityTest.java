package dev.clarisync.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Paging values and details answers checked before anything acts on them. */
class AnswerIntegrityTest {

    static final ModifiedWindow WINDOW = new ModifiedWindow(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-02-01T00:00:00Z"));
    static final PageRequest AT_100 = new PageRequest(WINDOW, 100, 50);

    static Stream<Arguments> consistent() {
        return Stream.of(
                Arguments.of(50, new Pagination(300L, true, 150)),
                Arguments.of(50, new Pagination(150L, false, null)),
                Arguments.of(20, new Pagination(120L, false, null)),
                Arguments.of(0, new Pagination(100L, false, null)),
                Arguments.of(50, new Pagination(null, null, null)),
                Arguments.of(50, new Pagination(300L, true, 120))); // re-reads some: duplicates are dropped by id
    }

    @ParameterizedTest
    @MethodSource("consistent")
    void should_accept_pages_that_agree_with_their_request(int returned, Pagination page) {
        AnswerIntegrity.checkPage(AT_100, returned, page);
    }

    static Stream<Arguments> inconsistent() {
        return Stream.of(
                Arguments.of(50, new Pagination(300L, true, -5), "nextPageSkip -5 is negative"),
                Arguments.of(50, new Pagination(300L, true, 100), "does not move past skip 100"),
                Arguments.of(50, new Pagination(300L, true, 10_001), "would pass calls never returned"),
                Arguments.of(50, new Pagination(-1L, null, null), "matched is negative"),
                Arguments.of(50, new Pagination(120L, false, null), "below skip + calls returned"),
                Arguments.of(50, new Pagination(300L, false, null), "hasMore false contradicts matched 300"),
                Arguments.of(50, new Pagination(150L, true, 150), "hasMore true contradicts matched 150"),
                Arguments.of(51, new Pagination(null, null, null), "51 calls for limit 50"));
    }

    @ParameterizedTest
    @MethodSource("inconsistent")
    void should_refuse_inconsistent_pages_in_one_line_naming_the_request(int returned, Pagination page, String problem) {
        assertThatThrownBy(() -> AnswerIntegrity.checkPage(AT_100, returned, page))
                .isInstanceOf(AnswerIntegrity.InconsistentAnswerException.class)
                .hasMessageContaining(problem).hasMessageContaining("GET /calls?filterModifiedGt=").hasMessageContaining("skip=100&limit=50")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void should_never_build_a_request_outside_the_spec_bounds() {
        AnswerIntegrity.requireInBounds(new PageRequest(WINDOW, 10_000, 100));
        AnswerIntegrity.requireInBounds(new PageRequest(WINDOW, 0, 1));
        for (PageRequest bad : new PageRequest[] {new PageRequest(WINDOW, -1, 50), new PageRequest(WINDOW, 10_001, 50),
                new PageRequest(WINDOW, 0, 0), new PageRequest(WINDOW, 0, 101)}) {
            assertThatThrownBy(() -> AnswerIntegrity.requireInBounds(bad)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("refusing to send GET /calls?");
        }
        // a configured max-skip above the spec's cap cannot make the scan send it
        CallsWindowScan scan = new CallsWindowScan(WINDOW.from(), WINDOW.to(), 100, 50_000, 2);
        scan.next();
        assertThat(scan.accept(100, new Pagination(20_000L, true, 100))).isEqualTo(CallsWindowScan.Step.CONTINUE);
        for (int skip = 100; skip < 10_000; skip += 100) {
            assertThat(scan.next().skip()).isEqualTo(skip);
            scan.accept(100, new Pagination(20_000L, true, skip + 100));
        }
        assertThat(scan.next().skip()).isEqualTo(10_000);
        scan.accept(100, new Pagination(20_000L, true, 10_100));
        assertThatThrownBy(scan::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("skip=10100");
    }

    @Test
    void should_end_repeated_empty_pages_that_claim_more_with_one_line_naming_the_window() {
        CallsWindowScan scan = new CallsWindowScan(WINDOW.from(), WINDOW.to(), 100, 10_000, 1);
        scan.next();
        assertThat(scan.accept(0, new Pagination(5L, true, 0))).isEqualTo(CallsWindowScan.Step.RESCAN);
        scan.next();
        assertThatThrownBy(() -> scan.accept(0, new Pagination(5L, true, 0))).isInstanceOf(UnstableWindowException.class)
                .hasMessageContaining("empty page").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void should_flag_a_details_answer_about_another_call() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(AnswerIntegrity.detailsMismatch("c1", json.readTree("{\"id\":\"c1\"}"))).isNull();
        assertThat(AnswerIntegrity.detailsMismatch("c1", json.readTree("{\"id\":\"c2\"}")))
                .isEqualTo("GET /call-details?id=c1 answered with call.id \"c2\"");
        assertThat(AnswerIntegrity.detailsMismatch("c1", json.readTree("{\"id\":1}"))).contains("call.id 1");
        assertThat(AnswerIntegrity.detailsMismatch("c1", json.readTree("{}"))).contains("call.id missing");
    }
}
