package dev.clarisync.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.sync.ExitCodes;
import dev.clarisync.warehouse.Warehouse;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code report}: writes the analytics dashboard, one self-contained HTML file ({@code report.out}), from the
 * warehouse. Creates or refreshes the analytics views first ({@link AnalyticsViews#ensure}), reads only aggregates
 * from them ({@link ReportData}), and never calls the Clari API.
 */
public final class ReportCommand {
    private ReportCommand() {
    }

    /** Opens the warehouse of {@code settings}, writes the dashboard to {@code settings.reportOut()}, prints its path. */
    public static int run(ConnectorSettings settings, PrintStream out) throws Exception {
        Path target = Path.of(settings.reportOut()).toAbsolutePath().normalize();
        try (Warehouse w = Warehouse.open(settings.warehouseUrl(), settings.warehouseUser(), settings.warehousePassword().reveal(),
                settings.warehouseSchema())) {
            Path written = write(w, target);
            out.println("Dashboard written to " + written + " (open it in a browser; it needs no network)");
            return ExitCodes.OK;
        }
    }

    /**
     * Ensures the views and writes the dashboard of {@code w} to {@code out} (parent directories created; the file is
     * replaced whole, so a browser never sees half of it). Returns the absolute path written.
     */
    public static Path write(Warehouse w, Path out) {
        Objects.requireNonNull(w, "warehouse");
        Path target = out.toAbsolutePath().normalize();
        AnalyticsViews.ensure(w);
        ObjectNode data = ReportData.read(w, Instant.now());
        String html = ReportHtml.render(data);
        try {
            Path dir = target.getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
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
            throw new UncheckedIOException("cannot write the dashboard to " + target + ": " + e.getMessage(), e);
        }
        return target;
    }
}
