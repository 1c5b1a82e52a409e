package dev.clarisync.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The key filter answers "may exist" for every key added (no false negatives) and "new" for almost all others. */
class KeyFilterTest {

    @Test
    void should_never_forget_a_key_and_rarely_claim_one_it_never_saw() {
        KeyFilter f = new KeyFilter();
        for (int i = 0; i < 200_000; i++) {
            f.add("call-" + i);
            f.add(UUID.nameUUIDFromBytes(("u" + i).getBytes()).toString());
        }
        f.add("");
        f.add("call-1"); // again: no duplicate entry
        assertThat(f.size()).isEqualTo(400_001);
        for (int i = 0; i < 200_000; i++) {
            assertThat(f.mayContain("call-" + i)).isTrue();
            assertThat(f.mayContain(UUID.nameUUIDFromBytes(("u" + i).getBytes()).toString())).isTrue();
        }
        assertThat(f.mayContain("")).isTrue();
        int falsePositives = 0;
        for (int i = 0; i < 200_000; i++) {
            if (f.mayContain("other-" + i) || f.mayContain(UUID.randomUUID().toString())) {
                falsePositives++;
            }
        }
        assertThat(falsePositives).as("64-bit hashes: a false positive is ~1e-8 likely").isZero();
    }

    @Test
    void should_tell_keys_apart_that_differ_only_in_order_or_length() {
        KeyFilter f = new KeyFilter();
        f.add("ab");
        assertThat(f.mayContain("ba")).isFalse();
        assertThat(f.mayContain("ab\u0000")).isFalse();
        assertThat(f.mayContain("a")).isFalse();
        assertThat(KeyFilter.hash("")).isNotZero();
    }
}
