package dev.clarisync.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the dashboard the service wrote after its last sync ({@code report.serve=true}, route {@code clari-dashboard}
 * on the management port). It sends the file {@link AnalyticsRefresh} rewrites after each sync, whole (that file is
 * replaced by a rename, never written in place) and nothing else: no query of the warehouse, no SQL, no parameter
 * read from the request. Before the first dashboard exists the answer is 503 with one line of text.
 */
public final class DashboardPage {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardPage.class);
    /** Header of the {@code /dashboard/{workspace}} path parameter (platform-http sets it). */
    public static final String WORKSPACE = "workspace";

    private final Path out;
    /** The workspaces this process syncs ({@code default} alone for the single workspace); accounts may be added later. */
    private final Supplier<List<String>> workspaces;

    /**
     * @param out        {@code report.out}
     * @param workspaces the workspaces this process syncs, asked at each request: {@code default} alone for the single
     *                   workspace ({@code /dashboard}), else their names ({@code /dashboard/<name>})
     */
    public DashboardPage(Path out, Supplier<List<String>> workspaces) {
        this.out = out;
        this.workspaces = workspaces;
    }

    /** The page's paths under the management server: {@code /dashboard}, or one per named workspace. */
    public List<String> paths() {
        List<String> named = named();
        return named.isEmpty() ? List.of("/dashboard") : named.stream().map(w -> "/dashboard/" + w).toList();
    }

    private List<String> named() {
        return workspaces.get().stream().filter(w -> !"default".equals(w)).sorted().toList();
    }

    /** Answers a GET of {@code /dashboard} or {@code /dashboard/{workspace}}: the page, or 404/503 with one line. */
    public void serve(Exchange exchange) {
        Message m = exchange.getMessage();
        String workspace = m.getHeader(WORKSPACE, String.class);
        m.removeHeaders("*"); // the request's headers are not echoed into the answer
        List<String> named = named();
        if (workspace == null && !named.isEmpty()) {
            text(m, 404, "one dashboard per workspace: " + String.join(", ", paths()));
            return;
        }
        if (workspace != null && !named.contains(workspace)) {
            // the name is only ever compared with the known ones, never used to build a path
            text(m, 404, named.isEmpty() ? "one workspace: its dashboard is /dashboard" : "no such workspace; dashboards: " + String.join(", ", paths()));
            return;
        }
        Path file = AnalyticsRefresh.dashboardOf(out, workspace);
        try {
            byte[] html = Files.readAllBytes(file);
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            m.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
            // personal data: no shared cache keeps a copy, and a browser asks again each time
            m.setHeader("Cache-Control", "no-store");
            m.setHeader("X-Content-Type-Options", "nosniff");
            m.setBody(html);
        } catch (NoSuchFileException e) {
            text(m, 503, "no dashboard yet: it is written when the first sync ends");
        } catch (IOException e) {
            LOG.warn("cannot read the dashboard {}: {}", file, e.getMessage());
            text(m, 503, "the dashboard cannot be read now; see the service log");
        }
    }

    private static void text(Message m, int status, String line) {
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        m.setHeader("Cache-Control", "no-store");
        m.setBody(line + "\n");
    }
}
