package dev.clarisync.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged jar ({@code target/clari-copilot-connector.jar}) as its own process, as a user would. */
public final class JarProcess {
    public static final Path JAR = Path.of("target/clari-copilot-connector.jar").toAbsolutePath();

    /** Exit code and captured output of one run. */
    public record Run(int exitCode, String out, String err) {
    }

    private JarProcess() {
    }

    public static Process start(Path workDir, List<String> jvmOptions, Map<String, String> env, String... args) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run 'mvn verify' (integration tests need the packaged jar)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // DuckDB copies its ~70 MB native library into java.io.tmpdir per JVM, and a killed JVM leaves it there:
        // keep the copies in the test's own folder, which JUnit removes (not in /tmp)
        Path tmp = Files.createDirectories(workDir.resolve("jvm-tmp"));
        cmd.add("-Djava.io.tmpdir=" + tmp);
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(JAR.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CLARI_") || k.startsWith("WAREHOUSE_"));
        pb.environment().putAll(env);
        pb.redirectOutput(workDir.resolve("stdout.log").toFile());
        pb.redirectError(workDir.resolve("stderr.log").toFile());
        return pb.start();
    }

    public static Run run(Path workDir, List<String> jvmOptions, Map<String, String> env, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        Process p = start(workDir, jvmOptions, env, args);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("jar did not finish in " + timeoutSeconds + " s: " + read(workDir.resolve("stderr.log")));
        }
        return new Run(p.exitValue(), read(workDir.resolve("stdout.log")), read(workDir.resolve("stderr.log")));
    }

    static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
