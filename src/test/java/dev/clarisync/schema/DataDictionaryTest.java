package dev.clarisync.schema;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/tables.md is the rendering of the declared schema; {@code -Dclari.docs.regenerate=true} rewrites it. */
class DataDictionaryTest {

    @Test
    void should_keep_docs_tables_md_current_with_the_declared_schema() throws IOException {
        String rendered = DataDictionary.render(DeclaredSchema.bundled());
        if (Boolean.getBoolean("clari.docs.regenerate")) {
            Files.writeString(DataDictionary.FILE, rendered);
        }
        assertThat(DataDictionary.FILE).as("docs/tables.md is missing: run this test with -Dclari.docs.regenerate=true").exists();
        assertThat(Files.readString(DataDictionary.FILE))
                .as("docs/tables.md is stale: run this test with -Dclari.docs.regenerate=true and commit it")
                .isEqualTo(rendered);
    }

    @Test
    void should_list_every_declared_table_and_column() {
        String rendered = DataDictionary.render(DeclaredSchema.bundled());
        for (DeclaredSchema.Table t : DeclaredSchema.bundled().tables()) {
            assertThat(rendered).contains("### `" + t.name() + "`");
            t.columns().forEach(c -> assertThat(rendered).contains("| `" + c.name() + "` | " + c.type() + " | `" + c.field() + "` |"));
        }
        assertThat(rendered).contains("| `metrics__talk_listen_ratio` | DOUBLE | `metrics.talk_listen_ratio` |",
                "### `call_details__joined_participants`", "### `scorecards__questions_score`", "### `topics`");
    }
}
