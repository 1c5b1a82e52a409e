package dev.clarisync.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Puts the dashboard together: one HTML file with its CSS, its script (plain JavaScript drawing inline SVG, no
 * library) and the data as JSON, all inline. A Content-Security-Policy forbids every network request, so the file
 * behaves the same offline and can be mailed around.
 *
 * <p>Warehouse text reaches the page only inside the JSON block, escaped so that it can never end the block or be
 * read as markup ({@link #scriptSafeJson}); the script sets it with {@code textContent} only.
 */
final class ReportHtml {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportHtml() {
    }

    static String render(ObjectNode data) {
        String template = resource("dashboard.html");
        String css = resource("dashboard.css");
        String js = resource("dashboard.js");
        for (String[] part : new String[][] {{"dashboard.css", css, "</style"}, {"dashboard.js", js, "</script"}}) {
            if (part[1].toLowerCase(Locale.ROOT).contains(part[2])) {
                throw new IllegalStateException(part[0] + " must not contain " + part[2]);
            }
        }
        // one pass per placeholder, data last: nothing inside the data is ever taken for a placeholder
        return template.replace("/*{{CSS}}*/", css).replace("/*{{JS}}*/", js).replace("{{DATA}}", scriptSafeJson(data));
    }

    /**
     * JSON that is safe inside {@code <script type="application/json">}: {@code <}, {@code >} and {@code &} are
     * written as {@code \\u003c}-style escapes (JSON has them only inside strings, where the escape means the same
     * character), so no {@code </script>} or {@code <!--} can appear; U+2028/U+2029 are escaped too.
     */
    static String scriptSafeJson(ObjectNode data) {
        String json;
        try {
            json = JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report data cannot be written as JSON", e);
        }
        StringBuilder out = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String resource(String name) {
        try (InputStream in = ReportHtml.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/clarisync/report/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
