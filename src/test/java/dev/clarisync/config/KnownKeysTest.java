package dev.clarisync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KnownKeysTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "clari.sync.lookbak|unknown key clari.sync.lookbak (did you mean clari.sync.lookback?)",
            "clari.api.rate_limit|unknown key clari.api.rate_limit (did you mean clari.api.rate-limit?)",
            "report.output|unknown key report.output (did you mean report.out?)",
            "clari.workspace.acme.apikey|unknown key clari.workspace.acme.apikey (did you mean clari.workspace.acme.api-key?)",
            "management.something-else-entirely|unknown key management.something-else-entirely (no such setting: the keys are listed in application.properties)",
    })
    void should_reject_an_unknown_key_of_ours_with_the_closest_known_one(String key, String message) {
        assertThatThrownBy(() -> SettingsSource.resolve(Map.of(key, "1"), Map.of(), dir))
                .isInstanceOf(SettingsException.class).hasMessage(message);
    }

    @Test
    void should_accept_the_many_workspace_keys_and_leave_other_frameworks_keys_alone() {
        Map<String, String> p = SettingsSource.resolve(Map.of("clari.workspaces", "acme,globex", "clari.workspaces.parallelism", "2",
                "clari.workspaces.shard", "0/2", "clari.workspace.acme.api-key", "k", "clari.workspace.acme.schema", "acme",
                "camel.main.name", "x"), Map.of(), dir);
        assertThat(p).containsEntry("clari.workspace.acme.schema", "acme").containsEntry("camel.main.name", "x");
    }

    @Test
    void should_check_the_keys_of_the_local_application_properties() throws IOException {
        Files.writeString(dir.resolve("application.properties"), "routes.dirs=./r\n");
        assertThatThrownBy(() -> SettingsSource.resolve(Map.of(), Map.of(), dir))
                .hasMessage("unknown key routes.dirs (did you mean routes.dir?)");
    }

    @Test
    void should_read_a_secret_from_its_FILE_variable_without_the_trailing_newline() throws IOException {
        Path file = Files.writeString(dir.resolve("pw"), "  s3cret with spaces \n");
        Map<String, String> p = SettingsSource.resolve(Map.of(), Map.of("WAREHOUSE_PASSWORD_FILE", file.toString()), dir);
        assertThat(p).containsEntry("warehouse.password", "  s3cret with spaces ");
        assertThat(ConnectorSettings.from(p, false).camelProperties()).doesNotContainKey("warehouse.password");
    }
}
