package dev.clarisync.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Small classes named for their role, guarded (issue 28): no main source file of the connector grows past
 * {@value #MAX_LINES} lines. A file that needs more holds more than one role: split it (the warehouse by session,
 * bookkeeping, reader, views; view bodies live in {@code src/main/resources/sql/views/}; the privacy filter by
 * scrubbing, known forms and dropped paths).
 */
class FileSizeRuleTest {

    static final int MAX_LINES = 400;

    @Test
    void should_keep_every_main_file_within_400_lines() throws IOException {
        Path root = Path.of("src/main/java/dev/clarisync");
        assertThat(root).isDirectory();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(sources).hasSizeGreaterThan(100);
        for (Path f : sources) {
            assertThat(Files.readAllLines(f)).as("lines of %s", f).hasSizeLessThanOrEqualTo(MAX_LINES);
        }
    }
}
