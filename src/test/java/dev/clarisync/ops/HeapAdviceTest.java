package dev.clarisync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The start-up warning for a heap too small for the workspaces synced at once. */
class HeapAdviceTest {

    @Test
    void should_warn_for_fifty_workspaces_of_fifty_call_batches_in_a_small_heap_but_not_for_ten_call_batches() {
        // the 50-workspace benchmark: 50-call batches thrashed a 128 MB heap; 10-call batches ran in 160 MB
        assertThat(HeapAdvice.warnIfShort(50, 50, 128L << 20)).isTrue();
        assertThat(HeapAdvice.warnIfShort(50, 10, 160L << 20)).isFalse();
        // one workspace at the defaults fits the benchmark's 64 MB
        assertThat(HeapAdvice.warnIfShort(1, 50, 64L << 20)).isFalse();
        assertThat(HeapAdvice.estimate(50, 50)).isGreaterThan(250_000_000L);
    }
}
