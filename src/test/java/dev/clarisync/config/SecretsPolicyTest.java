package dev.clarisync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsPolicyTest {
    @Test
    void should_be_stated_in_the_configuration_page_in_the_same_words() throws IOException {
        String page = Files.readString(Path.of("docs", "configuration.md")).replaceAll("\\s+", " ");
        assertThat(page).contains(SecretsPolicy.POLICY);
    }

    @Test
    void should_warn_for_every_secret_on_the_command_line_and_nothing_else() {
        assertThat(SecretsPolicy.commandLineWarnings(Map.of("clari.api.key", "k", "warehouse.password", "p",
                "clari.workspace.acme.api-password", "x", "clari.api.rate-limit", "3")))
                .hasSize(3).allMatch(w -> w.startsWith("warning: --") && w.contains("(ps)"));
    }
}
