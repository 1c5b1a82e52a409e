package dev.clarisync.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Markdown link of the documentation (README.md, docs/*.md, k8s/README.md, bench/*.md) leads somewhere: a relative
 * link names a file or folder that exists, and a {@code #fragment} names a heading of the target page by GitHub's anchor
 * rule (lower case, punctuation removed, spaces to dashes, {@code -1}, {@code -2} for repeats). Links inside code are
 * not links; absolute URLs are not fetched.
 */
class DocsLinksTest {
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");

    @TempDir
    Path tmp;

    @Test
    void every_link_of_the_documentation_should_resolve() throws IOException {
        List<Path> pages = pages(Path.of(""));
        assertThat(pages).contains(Path.of("README.md"), Path.of("docs", "configuration.md"), Path.of("docs", "operations.md"));
        List<String> broken = brokenLinks(pages);
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void should_report_a_missing_file_and_a_missing_heading_and_accept_good_links() throws IOException {
        Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(tmp.resolve("docs/a.md"), """
                # Page A
                ## When something cannot be synced
                ## Latest results (10,000 and 100,000 calls, DuckDB; idle machine)
                ## `sql` and `report`
                ## Twice
                ## Twice
                ```bash
                # not a heading
                ```
                [ok](#when-something-cannot-be-synced) [ok](#latest-results-10000-and-100000-calls-duckdb-idle-machine)
                [ok](#sql-and-report) [ok](#twice-1) [ok](../README.md#top) [ok](https://example.com/x#y)
                `[in code](missing.md)`
                [bad](#not-a-heading) [bad](../missing.md) [bad](../README.md#nowhere) [bad](#not-a-heading-1)
                """);
        Files.writeString(tmp.resolve("README.md"), "# Top\n\n[ok](docs/a.md#twice) [bad](docs/a.md#twice-2) [bad](#no)\n");
        List<String> broken = brokenLinks(List.of(tmp.resolve("README.md"), tmp.resolve("docs/a.md")));
        assertThat(broken).hasSize(6).anyMatch(b -> b.contains("#not-a-heading ")).anyMatch(b -> b.contains("../missing.md"))
                .anyMatch(b -> b.contains("../README.md#nowhere")).anyMatch(b -> b.contains("docs/a.md#twice-2"))
                .anyMatch(b -> b.contains("#not-a-heading-1")).anyMatch(b -> b.contains("(#no)"))
                .noneMatch(b -> b.contains("in code") || b.contains("not a heading"));
    }

    @Test
    void should_make_anchors_as_github_does() {
        assertThat(slug("Call details: modes and request cost")).isEqualTo("call-details-modes-and-request-cost");
        assertThat(slug("`clari.api.*` and `_sync_state`")).isEqualTo("clariapi-and-_sync_state");
        assertThat(slug("Image (A and B)")).isEqualTo("image-a-and-b");
        assertThat(slug("Faster starts — class-data sharing")).isEqualTo("faster-starts--class-data-sharing");
        assertThat(slug("[Tables](tables.md) and views")).isEqualTo("tables-and-views");
    }

    /** The pages whose links are checked, relative to {@code root}. */
    static List<Path> pages(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(root.resolve("README.md"));
        for (String dir : List.of("docs", "k8s", "bench")) {
            Path d = root.resolve(dir);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
                }
            }
        }
        return out;
    }

    /** One line per link that leads nowhere: {@code file:line: (target) reason}. */
    static List<String> brokenLinks(List<Path> pages) throws IOException {
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            boolean inFence = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (FENCE.matcher(line).find()) {
                    inFence = !inFence;
                    continue;
                }
                if (inFence) {
                    continue;
                }
                Matcher m = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
                while (m.find()) {
                    String problem = problem(page, m.group(1), anchors);
                    if (problem != null) {
                        broken.add(page + ":" + (i + 1) + ": (" + m.group(1) + ") " + problem);
                    }
                }
            }
        }
        return broken;
    }

    private static String problem(Path page, String target, Map<Path, Set<String>> anchors) throws IOException {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null; // https:, mailto:, ...
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String fragment = hash < 0 ? null : target.substring(hash + 1);
        Path dir = page.toAbsolutePath().getParent();
        Path resolved = file.isEmpty() ? page.toAbsolutePath() : dir.resolve(file).normalize();
        if (!Files.exists(resolved)) {
            return "no such file " + resolved;
        }
        if (fragment == null || fragment.isEmpty()) {
            return null;
        }
        if (!resolved.toString().endsWith(".md")) {
            return "a fragment on a file that is not Markdown";
        }
        Set<String> known = anchors.get(resolved);
        if (known == null) {
            known = anchorsOf(resolved);
            anchors.put(resolved, known);
        }
        return known.contains(fragment) ? null : "no heading with anchor #" + fragment + " in " + resolved.getFileName();
    }

    /** The anchors GitHub gives the headings of a page (and its explicit {@code <a id>}s). */
    static Set<String> anchorsOf(Path md) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : Files.readAllLines(md, StandardCharsets.UTF_8)) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            Matcher a = HTML_ANCHOR.matcher(line);
            while (a.find()) {
                out.add(a.group(1));
            }
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                String base = slug(h.group(2));
                int n = seen.merge(base, 1, Integer::sum) - 1;
                out.add(n == 0 ? base : base + "-" + n);
            }
        }
        return out;
    }

    /** GitHub's heading anchor: link text kept, lower case, every character but letters, digits, spaces, '-' and '_' removed, spaces to '-'. */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1");
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
