package dev.clarisync.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The promise "edit routes without recompiling": the packaged jar runs whatever YAML is in routes.dir. */
class RoutesFromDiskIT {
    @TempDir
    Path dir;

    @Test
    void should_run_an_edited_copy_of_the_routes_without_recompiling() throws Exception {
        Path routes = dir.resolve("my-routes");
        Files.createDirectories(routes);
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        Path calls = routes.resolve("clari-stream.camel.yaml");
        String yaml = Files.readString(calls);
        String anchor = """
                              - bean:
                                  ref: listStream
                                  method: readPage
                """;
        assertThat(yaml).contains(anchor);
        Files.writeString(calls, yaml.replace(anchor, anchor + """
                              - log: "EDITED ROUTE saw a page of ${body.size()} calls"
                """));

        try (ClariSimulator sim = ClariSimulator.start(SimulatorConfig.builder().callCount(150).build())) {
            JarProcess.Run edited = sync(sim, "--routes.dir=" + routes);
            assertThat(edited.exitCode()).as(edited.err()).isZero();
            assertThat(edited.err()).contains("EDITED ROUTE saw a page of 100 calls").contains("EDITED ROUTE saw a page of 50 calls");

            JarProcess.Run pristine = sync(sim, "--routes.dir=" + Path.of("routes").toAbsolutePath(),
                    "--warehouse.url=jdbc:duckdb:" + dir.resolve("other.duckdb"));
            assertThat(pristine.exitCode()).as(pristine.err()).isZero();
            assertThat(pristine.err()).doesNotContain("EDITED ROUTE");
        }
    }

    @Test
    void should_fall_back_to_the_packaged_routes_when_the_folder_is_absent() throws Exception {
        try (ClariSimulator sim = ClariSimulator.start(SimulatorConfig.builder().callCount(20).build())) {
            JarProcess.Run r = sync(sim, "--routes.dir=" + dir.resolve("no-such-folder"));
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains("using the routes packaged in the jar");
            assertThat(r.out()).contains("sync ok");
        }
    }

    private JarProcess.Run sync(ClariSimulator sim, String... extra) throws IOException, InterruptedException {
        List<String> args = new java.util.ArrayList<>(List.of("sync", "--clari.api.base-url=" + sim.baseUrl(),
                "--warehouse.url=jdbc:duckdb:" + dir.resolve("w.duckdb"), "--clari.sync.streams=users,calls",
                "--clari.sync.start-date=2015-01-01", "--clari.api.rate-limit=1000"));
        args.addAll(List.of(extra));
        return JarProcess.run(dir, List.of("-Xmx256m"),
                Map.of("CLARI_API_KEY", sim.config().apiKey(), "CLARI_API_PASSWORD", sim.config().apiPassword()),
                120, args.toArray(String[]::new));
    }
}
