package dev.clarisync.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Small classes named for their role, guarded (issue 28): no main source file of the warehouse or the analytics
 * layer grows past {@value #MAX_LINES} lines. A file that needs more holds more than one role: split it (the warehouse
 * by session, bookkeeping, reader, views; view bodies live in {@code src/main/resources/sql/views/}).
 */
class FileSizeRuleTest {

    static final int MAX_LINES = 400;
    static final List<String> PACKAGES = List.of("warehouse", "report");

    @Test
    void should_keep_every_main_file_of_warehouse_and_report_within_400_lines() throws IOException {
        for (String pkg : PACKAGES) {
            Path dir = Path.of("src/main/java/dev/clarisync", pkg);
            assertThat(dir).isDirectory();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    assertThat(Files.readAllLines(f)).as("lines of %s", f).hasSizeLessThanOrEqualTo(MAX_LINES);
                }
            }
        }
    }
}
