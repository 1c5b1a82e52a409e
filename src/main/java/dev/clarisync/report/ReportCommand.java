package dev.clarisync.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.SettingsException;
import dev.clarisync.warehouse.Warehouse;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code report}: writes the analytics dashboard, one self-contained HTML file ({@code report.out}), from the
 * warehouse. Creates or refreshes the analytics views first ({@link AnalyticsViews#ensure}), reads only aggregates
 * from them ({@link ReportData}), and never calls the Clari API.
 */
public final class ReportCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ReportCommand.class);

    private ReportCommand() {
    }

    /** Opens the warehouse of {@code settings}, writes the dashboard to {@code settings.reportOut()}, prints its path. */
    public static void run(ConnectorSettings settings, PrintStream out) throws Exception {
        run(settings, () -> Warehouse.open(settings.warehouseUrl(), settings.warehouseUser(),
                settings.warehousePassword().reveal(), settings.warehouseSchema()), out);
    }

    /**
     * Writes the dashboard of the warehouse {@code open} opens (the {@code report} command passes one that waits for
     * a sync in progress, {@code --wait}).
     */
    public static void run(ConnectorSettings settings, java.util.function.Supplier<Warehouse> open, PrintStream out) throws Exception {
        Path target = Path.of(settings.reportOut()).toAbsolutePath().normalize();
        Path duckFile = duckDbFile(settings.warehouseUrl());
        if (duckFile != null && !Files.exists(duckFile)) {
            // opening would create an empty warehouse and report nothing: a typo or a missing first sync
            throw new SettingsException("warehouse.url", "there is no warehouse at " + duckFile
                    + ": run sync (or demo) first, or point warehouse.url at the DuckDB file it wrote");
        }
        try (Warehouse w = open.get()) {
            Path written = write(w, target);
            out.println("Dashboard written to " + written + " (open it in a browser; it needs no network)");
        }
    }

    /**
     * Ensures the views and writes the dashboard of {@code w} to {@code out} (parent directories created; the file is
     * replaced whole, so a browser never sees half of it). Returns the absolute path written.
     *
     * @throws SettingsException naming {@code report.out} if the file cannot be written there
     */
    public static Path write(Warehouse w, Path out) {
        Objects.requireNonNull(w, "warehouse");
        Path target = out.toAbsolutePath().normalize();
        AnalyticsViews.ensure(w);
        ObjectNode data = ReportData.read(w, w.now()); // the connector's one clock (the account's, in a sync)
        String html = ReportHtml.render(data);
        try {
            Path dir = target.getParent();
            Files.createDirectories(dir);
            // a sibling, so the final move is a rename; written with the default permissions, like the target
            Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + Long.toHexString(System.nanoTime()) + ".tmp");
            try {
                Files.writeString(tmp, html, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            LOG.debug("cannot write the dashboard", e);
            throw new SettingsException("report.out", "cannot write the dashboard to " + target + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "): choose a writable path");
        }
        return target;
    }

    /** The file of a {@code jdbc:duckdb:} URL, or null (another database, or in-memory). */
    static Path duckDbFile(String jdbcUrl) {
        String prefix = "jdbc:duckdb:";
        if (jdbcUrl == null || !jdbcUrl.startsWith(prefix)) {
            return null;
        }
        String rest = jdbcUrl.substring(prefix.length());
        int cut = rest.length();
        for (char c : new char[] {'?', ';'}) {
            int i = rest.indexOf(c);
            cut = i >= 0 ? Math.min(cut, i) : cut;
        }
        String file = rest.substring(0, cut);
        return file.isEmpty() || file.startsWith(":memory:") ? null : Path.of(file).toAbsolutePath().normalize();
    }
}
