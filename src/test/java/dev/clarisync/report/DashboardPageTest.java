package dev.clarisync.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which file {@link DashboardPage} answers with, per workspace (the single workspace's page is tested over HTTP with
 * the real service in {@code DashboardServeTest}): a named workspace's own file, never a path built from the request.
 */
class DashboardPageTest {
    @TempDir
    Path dir;

    private final CamelContext camel = new DefaultCamelContext();

    @Test
    void should_serve_each_workspace_its_own_file_and_list_them_at_the_root() throws Exception {
        Path out = dir.resolve("report.html");
        Files.writeString(dir.resolve("report-acme.html"), "<html>acme</html>");
        Files.writeString(dir.resolve("secret.html"), "<html>not a dashboard</html>");
        DashboardPage page = new DashboardPage(out, () -> List.of("globex", "acme"));

        assertThat(page.paths()).containsExactly("/dashboard/acme", "/dashboard/globex");
        Exchange acme = get(page, "acme");
        assertThat(acme.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(acme.getMessage().getBody(String.class)).isEqualTo("<html>acme</html>");
        assertThat(acme.getMessage().getHeaders()).doesNotContainKey("User-Agent");

        Exchange globex = get(page, "globex");
        assertThat(globex.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
        assertThat(globex.getMessage().getBody(String.class)).isEqualTo("no dashboard yet: it is written when the first sync ends\n");

        Exchange root = get(page, null);
        assertThat(root.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(404);
        assertThat(root.getMessage().getBody(String.class)).isEqualTo("one dashboard per workspace: /dashboard/acme, /dashboard/globex\n");

        for (String name : List.of("secret", "../secret", "acme/../../secret", "default")) {
            Exchange other = get(page, name);
            assertThat(other.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).as(name).isEqualTo(404);
            assertThat(other.getMessage().getBody(String.class)).as(name).doesNotContain("not a dashboard");
        }
    }

    @Test
    void should_serve_report_out_itself_for_the_single_workspace() throws Exception {
        Path out = dir.resolve("report.html");
        Files.writeString(out, "<html>one</html>");
        DashboardPage page = new DashboardPage(out, () -> List.of("default"));
        assertThat(page.paths()).containsExactly("/dashboard");
        assertThat(get(page, null).getMessage().getBody(String.class)).isEqualTo("<html>one</html>");
        assertThat(get(page, "default").getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(404);
    }

    private Exchange get(DashboardPage page, String workspace) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setHeader("User-Agent", "test");
        if (workspace != null) {
            e.getMessage().setHeader(DashboardPage.WORKSPACE, workspace);
        }
        page.serve(e);
        return e;
    }
}
