package dev.clarisync.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the copies of DuckDB's native library (about 70 MB each) that killed JVMs left in {@code java.io.tmpdir}.
 *
 * <p>The DuckDB JDBC driver (2.0.0.1, {@code org.duckdb.DuckDBNative}) copies {@code libduckdb_java.so_<os>_<arch>}
 * out of the jar into {@code Files.createTempFile("libduckdb_java", ".so")} in every JVM and loads it from there;
 * it has no setting for a fixed location. The copy is deleted when the JVM exits normally ({@code deleteOnExit}),
 * but not after SIGKILL, an OOM kill or a crash. At start the connector deletes every such copy that is older than
 * a minute and that no running process has mapped (Linux {@code /proc/<pid>/maps}), so at most one copy per
 * running connector exists. Elsewhere (no {@code /proc}) it does nothing.
 */
public final class NativeLibraryJanitor {
    private static final Logger LOG = LoggerFactory.getLogger(NativeLibraryJanitor.class);
    /** A copy younger than this may be between its extraction and its loading. */
    static final Duration MIN_AGE = Duration.ofMinutes(1);

    private NativeLibraryJanitor() {
    }

    /** Sweeps {@code java.io.tmpdir}; never fails. Returns the number of copies removed. */
    public static int sweep() {
        try {
            return sweep(Path.of(System.getProperty("java.io.tmpdir")), Path.of("/proc"), Instant.now());
        } catch (RuntimeException e) {
            LOG.debug("native library sweep skipped: {}", e.toString());
            return 0;
        }
    }

    static int sweep(Path tmp, Path proc, Instant now) {
        if (!Files.isDirectory(proc.resolve("self"))) {
            return 0;
        }
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> copies = Files.newDirectoryStream(tmp, "libduckdb_java*.so")) {
            for (Path copy : copies) {
                if (Files.getLastModifiedTime(copy).toInstant().isBefore(now.minus(MIN_AGE))) {
                    stale.add(copy.toAbsolutePath());
                }
            }
        } catch (IOException e) {
            return 0;
        }
        if (stale.isEmpty()) {
            return 0;
        }
        stale.removeAll(mapped(proc, stale));
        int removed = 0;
        for (Path copy : stale) {
            try {
                if (Files.deleteIfExists(copy)) {
                    removed++;
                }
            } catch (IOException e) {
                LOG.debug("cannot remove {}: {}", copy, e.toString());
            }
        }
        if (removed > 0) {
            LOG.info("removed {} of DuckDB's native library that ended processes left in {}", Plural.of(removed, "copy"), tmp);
        }
        return removed;
    }

    /** Those of {@code candidates} that a running process has mapped. */
    private static List<Path> mapped(Path proc, List<Path> candidates) {
        List<Path> inUse = new ArrayList<>();
        try (Stream<Path> pids = Files.list(proc)) {
            for (Path pid : (Iterable<Path>) pids.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))::iterator) {
                String maps;
                try {
                    maps = Files.readString(pid.resolve("maps"), StandardCharsets.ISO_8859_1);
                } catch (IOException | RuntimeException gone) {
                    continue; // ended meanwhile, or not ours to read
                }
                for (Path c : candidates) {
                    if (!inUse.contains(c) && maps.contains(c.toString())) {
                        inUse.add(c);
                    }
                }
            }
        } catch (IOException e) {
            return candidates; // cannot tell: keep them all
        }
        return inUse;
    }
}
