package dev.clarisync.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clarisync.api.CallsWindowScan.Step;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallsWindowScanTest {
    static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant TO = Instant.parse("2025-01-02T00:00:00Z");

    @Test
    void should_page_a_window_until_the_api_says_no_more() {
        CallsWindowScan scan = new CallsWindowScan(FROM, TO, 100, 10_000, 3);
        PageRequest first = scan.next();
        assertThat(first.skip()).isZero();
        assertThat(first.query()).contains("filterModifiedGt=2024-12-31T23:59:59.999Z", "filterModifiedLt=2025-01-02T00:00:00.000Z",
                "skip=0", "limit=100");
        assertThat(scan.accept(100, new Pagination(250L, true, 100))).isEqualTo(Step.CONTINUE);
        assertThat(scan.next().skip()).isEqualTo(100);
        assertThat(scan.accept(100, new Pagination(250L, true, 200))).isEqualTo(Step.CONTINUE);
        assertThat(scan.next().skip()).isEqualTo(200);
        assertThat(scan.completedUpTo()).isNull();
        assertThat(scan.accept(50, new Pagination(250L, false, null))).isEqualTo(Step.WINDOW_DONE);
        assertThat(scan.completedUpTo()).isEqualTo(TO);
        assertThat(scan.hasNext()).isFalse();
    }

    @Test
    void should_end_on_a_short_page_when_pagination_is_absent() {
        CallsWindowScan scan = new CallsWindowScan(FROM, TO, 100, 10_000, 3);
        scan.next();
        assertThat(scan.accept(100, new Pagination(null, null, null))).isEqualTo(Step.CONTINUE);
        assertThat(scan.next().skip()).isEqualTo(100);
        assertThat(scan.accept(3, new Pagination(null, null, null))).isEqualTo(Step.WINDOW_DONE);
    }

    @Test
    void should_stay_exact_when_the_page_size_changes_mid_window() {
        // pages asked at 100, then 50 and 25 (large pages failing), then 50 again; no pagination object
        CallsWindowScan scan = new CallsWindowScan(FROM, TO, 100, 10_000, 3);
        assertThat(scan.next().skip()).isZero();
        assertThat(scan.accept(100, new Pagination(null, null, null), 100)).isEqualTo(Step.CONTINUE);
        assertThat(scan.next().skip()).isEqualTo(100);
        assertThat(scan.accept(50, new Pagination(null, null, null), 50)).as("a full page of 50").isEqualTo(Step.CONTINUE);
        assertThat(scan.next().skip()).isEqualTo(150);
        assertThat(scan.accept(25, new Pagination(null, null, null), 25)).isEqualTo(Step.CONTINUE);
        PageRequest next = scan.next();
        assertThat(next.skip()).isEqualTo(175);
        assertThat(next.withLimit(50).query()).contains("skip=175", "limit=50");
        assertThat(scan.accept(49, new Pagination(null, null, null), 50)).isEqualTo(Step.WINDOW_DONE);
        assertThat(scan.completedUpTo()).isEqualTo(TO);
    }

    @Test
    void should_split_a_window_above_the_offset_cap_oldest_half_first() {
        CallsWindowScan scan = new CallsWindowScan(FROM, TO, 100, 10_000, 3);
        scan.next();
        assertThat(scan.accept(100, new Pagination(25_000L, true, 100))).isEqualTo(Step.SPLIT);
        assertThat(scan.completedUpTo()).isNull();
        PageRequest firstHalf = scan.next();
        assertThat(firstHalf.window()).isEqualTo(new ModifiedWindow(FROM, Instant.parse("2025-01-01T12:00:00Z")));
        assertThat(scan.accept(100, new Pagination(12_000L, true, 100))).isEqualTo(Step.SPLIT);
        assertThat(scan.next().window().to()).isEqualTo(Instant.parse("2025-01-01T06:00:00Z"));
        assertThat(scan.accept(10, new Pagination(10L, false, null))).isEqualTo(Step.WINDOW_DONE);
        assertThat(scan.completedUpTo()).isEqualTo(Instant.parse("2025-01-01T06:00:00Z"));
        // the remaining windows come in time order and end at TO
        List<Instant> ends = new ArrayList<>();
        while (scan.hasNext()) {
            ends.add(scan.next().window().to());
            assertThat(scan.accept(0, new Pagination(0L, false, null))).isEqualTo(Step.WINDOW_DONE);
        }
        assertThat(ends).containsExactly(Instant.parse("2025-01-01T12:00:00Z"), TO);
        assertThat(scan.completedUpTo()).isEqualTo(TO);
    }

    @Test
    void should_partition_time_exactly_when_splitting() {
        ModifiedWindow w = new ModifiedWindow(FROM, Instant.parse("2025-01-01T00:00:00.003Z"));
        assertThat(w.firstHalf().to()).isEqualTo(w.secondHalf().from());
        // strict API filters: Gt is one ms below the window start, so the start instant itself is included
        assertThat(w.secondHalf().filterModifiedGt()).isEqualTo(w.firstHalf().to().minusMillis(1));
    }

    @Test
    void should_rescan_when_matched_changes_mid_scan_and_keep_the_cursor() {
        CallsWindowScan scan = new CallsWindowScan(FROM, TO, 100, 10_000, 3);
        scan.next();
        assertThat(scan.accept(100, new Pagination(250L, true, 100))).isEqualTo(Step.CONTINUE);
        scan.next();
        assertThat(scan.accept(100, new Pagination(249L, true, 200))).isEqualTo(Step.RESCAN);
        assertThat(scan.lastRescanReason()).contains("250", "249");
        assertThat(scan.next().skip()).isZero();
        assertThat(scan.accept(100, new Pagination(249L, true, 100))).isEqualTo(Step.CONTINUE);
        scan.next();
        scan.accept(100, new Pagination(249L, true, 200));
        scan.next();
        assertThat(scan.accept(49, new Pagination(249L, false, null))).isEqualTo(Step.WINDOW_DONE);
        assertThat(scan.completedUpTo()).isEqualTo(TO);
    }

    @Test
    void should_fail_rather_than_guess_when_a_window_never_settles() {
        CallsWindowScan scan = new CallsWindowScan(FROM, TO, 100, 10_000, 2);
        long matched = 300;
        for (int rescan = 1; rescan <= 2; rescan++) {
            scan.next();
            assertThat(scan.accept(100, new Pagination(matched, true, 100))).isEqualTo(Step.CONTINUE);
            scan.next();
            assertThat(scan.accept(100, new Pagination(--matched, true, 200))).isEqualTo(Step.RESCAN);
        }
        scan.next();
        scan.accept(100, new Pagination(matched, true, 100));
        scan.next();
        long changed = matched - 1;
        assertThatThrownBy(() -> scan.accept(100, new Pagination(changed, true, 200)))
                .isInstanceOf(UnstableWindowException.class).hasMessageContaining("cursor did not move");
        assertThat(scan.completedUpTo()).isNull();
    }

    @Test
    void should_refuse_to_page_past_the_cap_when_a_millisecond_holds_too_many_calls() {
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        CallsWindowScan scan = new CallsWindowScan(t, t.plusMillis(1), 100, 10_000, 3);
        scan.next();
        assertThatThrownBy(() -> scan.accept(100, new Pagination(20_000L, true, 100)))
                .isInstanceOf(OffsetCapException.class).hasMessageContaining("cannot be split");
    }

    @Test
    void should_not_spin_on_an_empty_page_that_claims_more() {
        CallsWindowScan scan = new CallsWindowScan(FROM, TO, 100, 10_000, 1);
        scan.next();
        assertThat(scan.accept(0, new Pagination(5L, true, 0))).isEqualTo(Step.RESCAN);
    }

    @Test
    void should_have_nothing_to_do_for_an_empty_range() {
        assertThat(new CallsWindowScan(TO, TO, 100, 10_000, 1).hasNext()).isFalse();
    }
}
