package dev.clarisync.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Camel layer stays thin (issue 28): {@code camel/} only binds the beans ({@code boot.ConnectorBeans}) and boots
 * Camel Main; settings, the plan, the warehouses and the bean graph live in {@code config/} and {@code boot/}, where they
 * compile and test without a Camel context.
 */
class CamelPackageSizeTest {
    static final int MAX_LINES = 450;

    @Test
    void should_keep_the_camel_package_within_450_lines() throws IOException {
        long lines = 0;
        try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/clarisync/camel"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> text = Files.readAllLines(f);
                lines += text.size();
            }
        }
        assertThat(lines).as("lines in src/main/java/dev/clarisync/camel: move what is not Camel to config/ or boot/")
                .isLessThanOrEqualTo(MAX_LINES);
    }
}
