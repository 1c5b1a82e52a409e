package dev.clarisync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files and this JVM's real {@code /proc/self/maps}: a copy in use is kept, a left-over one is removed. */
class NativeLibraryJanitorTest {
    @TempDir
    Path tmp;

    Path copy(String name, Instant modified) throws IOException {
        Path p = Files.write(tmp.resolve(name), new byte[4096]);
        Files.setLastModifiedTime(p, FileTime.from(modified));
        return p;
    }

    @Test
    void should_remove_only_old_copies_that_no_process_has_mapped() throws IOException {
        Instant now = Instant.now();
        Path leftOver = copy("libduckdb_java111.so", now.minusSeconds(3600));
        Path young = copy("libduckdb_java222.so", now.minusSeconds(5));
        Path inUse = copy("libduckdb_java333.so", now.minusSeconds(3600));
        Path other = copy("libother.so", now.minusSeconds(3600));
        try (FileChannel ch = FileChannel.open(inUse)) {
            MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, 4096);
            int removed = NativeLibraryJanitor.sweep(tmp, Path.of("/proc"), now);
            assertThat(mapped.get(0)).isZero();
            assertThat(removed).isEqualTo(1);
        }
        assertThat(leftOver).doesNotExist();
        assertThat(young).exists();
        assertThat(inUse).as("mapped by this JVM").exists();
        assertThat(other).exists();
    }

    @Test
    void should_do_nothing_without_proc() throws IOException {
        Path leftOver = copy("libduckdb_java111.so", Instant.now().minusSeconds(3600));
        assertThat(NativeLibraryJanitor.sweep(tmp, tmp.resolve("no-proc"), Instant.now())).isZero();
        assertThat(leftOver).exists();
    }
}
