package dev.clarisync.camel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A JVM on the test classpath (a {@code main} of ours), its stdout and stderr collected line by line as they come. */
final class ChildProcess implements AutoCloseable {
    private final Process process;
    final List<String> out = new CopyOnWriteArrayList<>();
    final List<String> err = new CopyOnWriteArrayList<>();

    private final List<Thread> pumps = new ArrayList<>();

    private ChildProcess(Process process) {
        this.process = process;
        pumps.add(pump(process.getInputStream(), out));
        pumps.add(pump(process.getErrorStream(), err));
    }

    static ChildProcess start(Path workDir, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ChildProcess(new ProcessBuilder(cmd).directory(workDir.toFile()).start());
    }

    private static Thread pump(java.io.InputStream in, List<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** After the process ended: waits until its output is read to the end. */
    private void drain() throws InterruptedException {
        for (Thread t : pumps) {
            t.join(5_000);
        }
    }

    /** Waits until a line of {@code lines} matches (or the process ends without one: fails). */
    void awaitLine(List<String> lines, Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines.stream().noneMatch(match)) {
            if (!process.isAlive()) {
                drain();
                if (lines.stream().anyMatch(match)) {
                    return;
                }
                throw new AssertionError("ended (exit " + process.exitValue() + ") without such a line; out " + out + ", err " + err);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such line within " + timeout + "; out " + out + ", err " + err);
            }
            Thread.sleep(20); // polling the collected lines
        }
    }

    /** Ends a {@link ReadOnlyClient}'s hold: a line on its stdin. */
    void sendLine() throws IOException {
        OutputStream in = process.getOutputStream();
        in.write('\n');
        in.flush();
    }

    int exitCode(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + "; out " + out + ", err " + err);
        }
        drain();
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
