package dev.clarisync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which route files Camel is told to load: the folder when it exists, else every packaged copy by name. */
class PackagedRoutesTest {

    @Test
    void should_read_the_routes_folder_when_it_exists(@TempDir Path dir) {
        assertThat(RouteFiles.pattern(dir.toString()))
                .isEqualTo("file:" + dir.toAbsolutePath().normalize() + "/*.camel.yaml");
    }

    @Test
    void should_name_every_packaged_route_file_when_the_folder_is_absent(@TempDir Path dir) throws Exception {
        String pattern = RouteFiles.pattern(dir.resolve("missing").toString());

        // no wildcard: Camel would inflate every entry of the jar to resolve one
        assertThat(pattern).doesNotContain("*");
        List<String> expected;
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            expected = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".camel.yaml"))
                    .map(n -> "classpath:routes/" + n).sorted().toList();
        }
        assertThat(expected).hasSizeGreaterThan(5);
        assertThat(Arrays.asList(pattern.split(","))).containsExactlyElementsOf(expected);
    }
}
