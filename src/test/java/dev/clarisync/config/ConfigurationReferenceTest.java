package dev.clarisync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Properties;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** docs/configuration.md's settings reference is the rendering of application.properties; {@code -Dclari.docs.regenerate=true} rewrites it. */
class ConfigurationReferenceTest {

    @Test
    void should_keep_docs_configuration_md_current_with_application_properties() throws IOException {
        String rendered = ConfigurationReference.render(Files.readString(ConfigurationReference.PROPERTIES, StandardCharsets.UTF_8));
        assertThat(ConfigurationReference.FILE).as("docs/configuration.md is missing").exists();
        String page = Files.readString(ConfigurationReference.FILE, StandardCharsets.UTF_8);
        if (Boolean.getBoolean("clari.docs.regenerate")) {
            page = ConfigurationReference.replaceGenerated(page, rendered);
            Files.writeString(ConfigurationReference.FILE, page, StandardCharsets.UTF_8);
        }
        assertThat(ConfigurationReference.generatedPart(page))
                .as("docs/configuration.md's settings reference is stale: run this test with -Dclari.docs.regenerate=true and commit it")
                .isEqualTo(rendered);
    }

    @Test
    void should_list_every_key_with_its_env_default_and_comment() throws IOException {
        String text = Files.readString(ConfigurationReference.PROPERTIES, StandardCharsets.UTF_8);
        Properties keys = new Properties();
        keys.load(new StringReader(text));
        String rendered = ConfigurationReference.render(text);
        assertThat(ConfigurationReference.parse(text)).hasSize(keys.size());
        for (String key : keys.stringPropertyNames()) {
            assertThat(rendered).contains("| `" + key + "` | `" + EnvNames.of(key) + "`");
        }
        assertThat(rendered).contains(
                "| `clari.api.rate-limit` | `CLARI_API_RATE_LIMIT` | `10` | Client-side limit, requests per second",
                "| `clari.api.password` | `CLARI_API_PASSWORD` or `CLARI_API_PASSWORD_FILE` | empty (kept as a secret) |",
                "| `clari.sync.schedule` | `CLARI_SYNC_SCHEDULE` | `0 0 */6 * * ?` |",
                "| `warehouse.schema` | `WAREHOUSE_SCHEMA` | empty |",
                "| `clari.workspace.<name>.api-key` | `CLARI_WORKSPACE_<NAME>_API_KEY` or `CLARI_WORKSPACE_<NAME>_API_KEY_FILE` | `clari.api.key` |",
                "| `LOG_FORMAT` |", "### Clari API settings", "[Call details](#call-details-settings)");
        Workspaces.suffixes().forEach(s -> assertThat(rendered).contains("`clari.workspace.<name>." + s + "`"));
    }

    @Test
    void should_replace_only_the_generated_part() {
        String page = "# Title\n\nbefore\n" + ConfigurationReference.BEGIN + "\nold\n" + ConfigurationReference.END + "\nafter\n";
        assertThat(ConfigurationReference.replaceGenerated(page, "NEW")).isEqualTo("# Title\n\nbefore\nNEW\nafter\n");
        assertThat(ConfigurationReference.generatedPart("no markers")).isNull();
    }
}
