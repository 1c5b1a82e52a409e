package dev.clarisync.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the YAML routes are read from ({@code routes.dir}): the folder's {@code *.camel.yaml} files, or the copies
 * packaged in the jar when the folder is absent or the setting blank. Routes are never compiled in: editing a file and
 * restarting is enough.
 */
public final class RouteFiles {
    private static final Logger LOG = LoggerFactory.getLogger(RouteFiles.class);

    private RouteFiles() {
    }

    /** {@code file:<routes.dir>/*.camel.yaml}, or the packaged copies when the folder does not exist or is blank. */
    public static String pattern(String routesDir) {
        if (routesDir.isBlank()) {
            return packagedRoutes(); // an embedded connector (the Kamelet): never the host's ./routes
        }
        Path dir = Path.of(routesDir).toAbsolutePath().normalize();
        if (Files.isDirectory(dir)) {
            LOG.debug("routes from {}", dir);
            return "file:" + dir + "/*.camel.yaml";
        }
        LOG.info("routes folder {} not found: using the routes packaged in the jar", dir);
        return packagedRoutes();
    }

    /**
     * The packaged route files, named one by one ({@code classpath:routes/a.camel.yaml,...}). A classpath wildcard
     * would make Camel inflate every entry of the ~100 MB jar to find them, twice per start (about 3 s); the jar's
     * central directory lists them in milliseconds.
     */
    static String packagedRoutes() {
        List<String> names = new ArrayList<>();
        try {
            Path source = Path.of(RouteFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(source)) {
                try (var files = Files.list(source.resolve("routes"))) {
                    files.map(f -> "routes/" + f.getFileName()).forEach(names::add);
                }
            } else {
                try (ZipFile jar = new ZipFile(source.toFile())) {
                    jar.stream().map(ZipEntry::getName).filter(n -> n.startsWith("routes/")).forEach(names::add);
                }
            }
        } catch (Exception e) {
            LOG.debug("cannot list the packaged routes ({}): letting Camel scan the classpath", e.toString());
            return "classpath:routes/*.camel.yaml";
        }
        return names.stream().filter(n -> n.endsWith(".camel.yaml") && n.indexOf('/', "routes/".length()) < 0).sorted()
                .map(n -> "classpath:" + n).collect(Collectors.joining(","));
    }
}
