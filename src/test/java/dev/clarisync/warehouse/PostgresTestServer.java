package dev.clarisync.warehouse;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests. If the environment variable {@code WAREHOUSE_TEST_PG_URL} is set (with
 * optional {@code WAREHOUSE_TEST_PG_USER} / {@code WAREHOUSE_TEST_PG_PASSWORD}) that server is used; otherwise a
 * private throw-away server is started once per JVM from the binaries under {@code /usr/lib/postgresql/<v>/bin}
 * (initdb with trust auth into a temp directory, listening on 127.0.0.1 and a free port) and stopped on JVM exit.
 * PostgreSQL refuses to run as root, so as root the commands run as the {@code postgres} user via {@code runuser}.
 * Without binaries the test fails (never skips) and says how to install them.
 */
public final class PostgresTestServer {

    /** How to connect; {@link #freshSchema} gives each test its own schema. */
    public record Connection(String url, String user, String password) {
    }

    private static Connection connection;

    private PostgresTestServer() {
    }

    public static synchronized Connection get() {
        if (connection == null) {
            String url = System.getenv("WAREHOUSE_TEST_PG_URL");
            connection = url != null && !url.isBlank()
                    ? new Connection(url, env("WAREHOUSE_TEST_PG_USER"), env("WAREHOUSE_TEST_PG_PASSWORD"))
                    : start();
        }
        return connection;
    }

    /** A schema name no other test uses. */
    public static String freshSchema(String prefix) {
        return (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)).toLowerCase(Locale.ROOT);
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null ? "" : v;
    }

    private static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                Path bin = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                        .max(Comparator.comparingInt(PostgresTestServer::major)).orElse(null);
                if (bin != null) {
                    return bin;
                }
            } catch (IOException e) {
                throw new AssertionError("cannot list " + root, e);
            }
        }
        throw new AssertionError("PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin. "
                + "Install them with `apt-get install -y postgresql` (Debian/Ubuntu), or set WAREHOUSE_TEST_PG_URL "
                + "(and WAREHOUSE_TEST_PG_USER / WAREHOUSE_TEST_PG_PASSWORD) to an existing server.");
    }

    private static int major(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Connection start() {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("clarisync-pg-");
            Path data = dir.resolve("data");
            if (root) {
                run(List.of("chown", "postgres:postgres", dir.toString()), false);
            }
            int port = freePort();
            run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C", "--no-sync"), root);
            // durability is pointless for a throw-away server: fsync off keeps the suite fast
            String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                    + " -c synchronous_commit=off -c full_page_writes=off";
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-o", options, "-l",
                    dir.resolve("server.log").toString(), "-w", "-t", "60", "start"), root);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(bin, data, dir, root), "postgres-test-server-stop"));
            return new Connection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
        } catch (IOException e) {
            throw new AssertionError("cannot start a PostgreSQL test server: " + e, e);
        }
    }

    private static void stop(Path bin, Path data, Path dir, boolean root) {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"), root);
        } catch (AssertionError | IOException e) {
            System.err.println("PostgreSQL test server did not stop cleanly: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", full));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + String.join(" ", full), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError("`" + String.join(" ", full) + "` failed (exit " + p.exitValue() + "):\n" + out);
        }
    }
}
