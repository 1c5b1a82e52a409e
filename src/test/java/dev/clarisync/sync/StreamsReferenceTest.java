package dev.clarisync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.SettingsSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/streams.md's reference is the rendering of the catalog; {@code -Dclari.docs.regenerate=true} rewrites it. */
class StreamsReferenceTest {
    String rendered() {
        // the defaults of application.properties, as a run without overrides declares the streams
        ConnectorSettings defaults = ConnectorSettings.from(SettingsSource.resolve(Map.of(), Map.of(), Path.of("")), false);
        return StreamsReference.render(StreamCatalog.all(defaults));
    }

    @Test
    void should_keep_docs_streams_md_current_with_the_catalog() throws IOException {
        String rendered = rendered();
        assertThat(StreamsReference.FILE).as("docs/streams.md is missing").exists();
        String page = Files.readString(StreamsReference.FILE, StandardCharsets.UTF_8);
        int from = page.indexOf(StreamsReference.BEGIN);
        int to = page.indexOf(StreamsReference.END);
        assertThat(from).as("docs/streams.md lacks the generated part's markers").isNotNegative().isLessThan(to);
        if (Boolean.getBoolean("clari.docs.regenerate")) {
            page = page.substring(0, from) + rendered + page.substring(to + StreamsReference.END.length());
            Files.writeString(StreamsReference.FILE, page, StandardCharsets.UTF_8);
            to = page.indexOf(StreamsReference.END);
        }
        assertThat(page.substring(from, to + StreamsReference.END.length()))
                .as("docs/streams.md's reference is stale: run this test with -Dclari.docs.regenerate=true and commit it")
                .isEqualTo(rendered);
    }

    @Test
    void should_say_every_attribute_of_every_stream() {
        String rendered = rendered();
        assertThat(rendered).contains(
                "| [`calls`](#calls) | `GET /calls?filterModifiedGt=..&filterModifiedLt=..&skip=..&limit=..&sortTime=asc&includePagination=true`",
                "### call_details", "one request per record of `calls` whose `status` is `POST_PROCESSING_DONE` or `PROCESSED`",
                "re-read over `filterTimeGt`/`filterTimeLt`", "404: the parent record was deleted: marked `_deleted`",
                "unreadable: that record is set aside in `_rejected_records`", "404: the account lacks the feature (once the credentials were accepted): stream skipped",
                "identified by `topic_id` (stored as `id` too)", "lookback (1h by default)", "lookback (14d by default)",
                "`clari_cursor_lag_seconds` is its cursor", "the `clari-stream-per-parent` route");
    }
}
