package dev.clarisync.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the Camel 4.19–4.22 upgrade guides change, kept out of our YAML so the move to the next LTS stays a version bump
 * (docs/operations.md, "Camel upgrades"): route files named {@code *.camel.yaml} (since 4.20 {@code camel run}/{@code export} load
 * only {@code *.yaml} / {@code *.camel.yaml} as routes), no {@code routePolicy} key on a route (renamed
 * {@code routePolicyRef} in 4.18.1/4.19), none of the simple operators with a space that 4.18 deprecated, no
 * {@code $init} blocks (their syntax changed in 4.18.1), no saga (its YAML model changed in 4.19).
 */
class CamelUpgradeReadinessTest {
    private static final Pattern DEPRECATED_SIMPLE = Pattern.compile("\\b(not contains|not regex|not range|starts with|ends with)\\b");
    private static final Pattern CHANGED_KEYS = Pattern.compile("^\\s*-?\\s*(routePolicy|saga|serviceCall):", Pattern.MULTILINE);

    @Test
    void should_name_every_route_file_as_camel_4_20_loads_it() throws IOException {
        List<Path> files = yamlFiles(Path.of("routes"));
        assertThat(files).hasSizeGreaterThan(5)
                .allSatisfy(f -> assertThat(f.getFileName().toString()).endsWith(".camel.yaml"));
        assertThat(yamlFiles(Path.of("examples"))).filteredOn(f -> !f.getFileName().toString().endsWith(".pipe.yaml"))
                .allSatisfy(f -> assertThat(f.getFileName().toString()).endsWith(".camel.yaml"));
    }

    @Test
    void should_use_nothing_the_next_lts_renamed_or_removed() throws IOException {
        List<String> findings = new ArrayList<>();
        List<Path> all = new ArrayList<>(yamlFiles(Path.of("routes")));
        all.addAll(yamlFiles(Path.of("examples")));
        all.addAll(yamlFiles(Path.of("kamelets")));
        for (Path f : all) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            if (DEPRECATED_SIMPLE.matcher(withoutComments(text)).find()) {
                findings.add(f + ": a simple operator with a space (deprecated in 4.18: !contains, !regex, !range, startsWith, endsWith)");
            }
            if (CHANGED_KEYS.matcher(text).find()) {
                findings.add(f + ": routePolicy/saga/serviceCall (renamed or removed in 4.18.1-4.19)");
            }
            if (text.contains("$init{")) {
                findings.add(f + ": a simple $init block (syntax changed in 4.18.1)");
            }
        }
        assertThat(findings).isEmpty();
    }

    private static String withoutComments(String yaml) {
        return yaml.lines().filter(l -> !l.stripLeading().startsWith("#")).reduce("", (a, b) -> a + b + "\n");
    }

    private static List<Path> yamlFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
