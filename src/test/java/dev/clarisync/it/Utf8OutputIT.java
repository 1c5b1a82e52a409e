package dev.clarisync.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar under the locale of a minimal container: no LANG, LC_ALL=C, no -Dfile.encoding, no
 * JAVA_TOOL_OPTIONS. Java 17 then encodes System.out/err in ASCII; the Launcher and the log layouts must still write
 * UTF-8, so the summary line's em dash is the bytes E2 80 94 (not '?') and {@code grep 'sync ok'} finds it.
 */
class Utf8OutputIT {
    private static final byte[] EM_DASH = "—".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ARROW = "→".getBytes(StandardCharsets.UTF_8);

    @Test
    void should_print_utf8_on_stdout_and_stderr_under_the_c_locale(@TempDir Path dir) throws Exception {
        try (ClariSimulator sim = ClariSimulator.start(SimulatorConfig.builder().callCount(5).build())) {
            Result sync = run(dir, "sync", "--clari.api.base-url=" + sim.baseUrl(), "--clari.api.key=" + sim.config().apiKey(),
                    "--clari.api.password=" + sim.config().apiPassword(), "--clari.sync.start-date=2015-01-01",
                    "--clari.sync.streams=calls", "--warehouse.url=jdbc:duckdb:" + dir.resolve("c.duckdb"));
            assertThat(sync.code).as(sync.text(sync.err)).isZero();
            String summary = sync.text(sync.out).lines().filter(l -> l.startsWith("sync ok")).findFirst().orElseThrow();
            assertThat(summary).startsWith("sync ok — ");
            assertThat(indexOf(sync.out, EM_DASH)).isNotNegative();
            assertThat(sync.text(sync.out)).doesNotContain("sync ok ? ");
        }
        // a log line and an error line with a non-ASCII character, on stderr: the missing key's hint
        Result missing = run(dir, "sync", "--warehouse.url=jdbc:duckdb:" + dir.resolve("d.duckdb"));
        assertThat(missing.code).isEqualTo(2);
        assertThat(missing.text(missing.err)).contains("Workspace Settings → Integrations");
        assertThat(indexOf(missing.err, ARROW)).isNotNegative();
    }

    private record Result(int code, byte[] out, byte[] err) {
        String text(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static Result run(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("jvm-tmp")), "-jar", JarProcess.JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG") || k.equals("LANGUAGE")
                || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS") || k.startsWith("CLARI_") || k.startsWith("WAREHOUSE_"));
        pb.environment().put("LC_ALL", "C");
        Path out = dir.resolve("out.bin");
        Path err = dir.resolve("err.bin");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the jar did not finish: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readAllBytes(out), Files.readAllBytes(err));
    }

    /** Where {@code needle}'s bytes occur in {@code haystack} (ISO-8859-1 maps each byte to one char), or -1. */
    private static int indexOf(byte[] haystack, byte[] needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).indexOf(new String(needle, StandardCharsets.ISO_8859_1));
    }
}
