package dev.clarisync.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SQL only in {@code warehouse/} and {@code report/} (issue 28): no string in the connector's other packages starts a
 * SQL statement. ArchUnit sees types, not strings, so this rule reads the sources. Comments, and the {@code sql}
 * command's help naming an example query ({@code sql "SELECT ..."}), are not statements.
 */
class SqlLocationRuleTest {

    private static final Pattern STATEMENT = Pattern.compile(
            "(?<!sql \\\\?)\"\\s*(SELECT|INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|CREATE|DROP|ALTER|WITH|COPY)\\s");
    private static final List<String> SQL_PACKAGES = List.of("warehouse", "report");

    @Test
    void should_build_sql_only_in_warehouse_and_report() throws IOException {
        Path root = Path.of("src/main/java/dev/clarisync");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (SQL_PACKAGES.contains(root.relativize(f).getName(0).toString())) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (!line.startsWith("*") && !line.startsWith("//") && STATEMENT.matcher(line).find()) {
                        found.add(f + ":" + (i + 1) + ": " + line);
                    }
                }
            }
        }
        assertThat(found).as("SQL outside warehouse/ and report/").isEmpty();
    }
}
