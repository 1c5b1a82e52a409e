package dev.clarisync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectorSettingsTest {
    @TempDir
    Path dir;

    Map<String, String> resolve(Map<String, String> cli, Map<String, String> env) {
        return SettingsSource.resolve(cli, env, dir);
    }

    @Test
    void should_read_every_default_from_the_packaged_properties() {
        ConnectorSettings s = ConnectorSettings.from(resolve(Map.of(), Map.of()), false);
        assertThat(s.apiBaseUrl()).hasToString("https://rest-api.copilot.clari.com");
        assertThat(s.rateLimit()).isEqualTo(10);
        assertThat(s.weeklyQuota()).isEqualTo(100_000);
        assertThat(s.schedule()).isEqualTo("0 0 */6 * * ?");
        assertThat(s.streams()).containsExactly("users", "calls", "call_details", "scorecards", "scorecard_templates", "topics");
        assertThat(s.warehouseUrl()).isEqualTo("jdbc:duckdb:./data/clari.duckdb");
        assertThat(s.managementPort()).isEqualTo(9876);
        assertThat(s.reportServe()).as("the dashboard holds personal data: not served unless asked").isFalse();
        assertThat(s.lookback()).isEqualTo(Duration.ofHours(1));
        assertThat(s.scorecardsLookback()).isEqualTo(Duration.ofDays(14));
        // the limiter's and the page-size policy's settings are typed here too, not re-read from the raw map later
        assertThat(s.rateMargin()).isEqualTo(0.02);
        assertThat(s.throttlePause()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.throttlePersist()).isEqualTo(3);
        assertThat(s.pageSizeBackoffAfter()).isEqualTo(2);
        assertThat(s.pageSizeRecoverAfter()).isEqualTo(20);
        assertThat(s.historyStreams()).containsExactly("calls");
    }

    @Test
    void should_keep_a_config_written_before_the_coaching_streams_working() throws IOException {
        Files.writeString(dir.resolve("application.properties"), "clari.sync.streams=users,calls,call_details\n");
        ConnectorSettings s = ConnectorSettings.from(resolve(Map.of(), Map.of()), false);
        assertThat(s.streams()).containsExactly("users", "calls", "call_details");
        assertThat(s.scorecardsLookback()).isEqualTo(Duration.ofDays(14));
        assertThatThrownBy(() -> ConnectorSettings.from(resolve(Map.of("clari.sync.streams", "users,scorecard"), Map.of()), false))
                .hasMessageContaining("unknown stream 'scorecard'");
    }

    @Test
    void should_let_env_override_file_and_cli_override_env() throws IOException {
        Files.writeString(dir.resolve("application.properties"), "clari.api.rate-limit=3\nclari.sync.lookback=PT5M\n");
        Map<String, String> p = resolve(Map.of("clari.api.rate-limit", "7"), Map.of("CLARI_API_RATE_LIMIT", "5", "CLARI_SYNC_LOOKBACK", "PT2M"));
        ConnectorSettings s = ConnectorSettings.from(p, false);
        assertThat(s.rateLimit()).isEqualTo(7);
        assertThat(s.lookback()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void should_take_credentials_from_the_environment_and_never_print_them() {
        Map<String, String> p = resolve(Map.of(), Map.of("CLARI_API_KEY", "k-123", "CLARI_API_PASSWORD", "hunter2-secret"));
        ConnectorSettings s = ConnectorSettings.from(p, true);
        assertThat(s.apiPassword().reveal()).isEqualTo("hunter2-secret");
        assertThat(s.toString()).doesNotContain("hunter2");
        assertThat(s.apiPassword().toString()).doesNotContain("hunter2");
        assertThat(s.camelProperties()).doesNotContainKeys("clari.api.password", "clari.api.key", "warehouse.password");
        assertThat(s.camelProperties().values()).noneMatch(v -> v.contains("hunter2"));
    }

    @Test
    void should_name_the_missing_credential() {
        assertThatThrownBy(() -> ConnectorSettings.from(resolve(Map.of(), Map.of()), true))
                .isInstanceOf(SettingsException.class).hasMessageStartingWith("clari.api.key:").hasMessageContaining("CLARI_API_KEY");
        assertThatThrownBy(() -> ConnectorSettings.from(resolve(Map.of(), Map.of("CLARI_API_KEY", "k")), true))
                .hasMessageStartingWith("clari.api.password:");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "clari.api.rate-limit|ten|must be a whole number",
            "clari.api.rate-limit|0|between 1",
            "clari.api.page-size|500|between 1 and 100",
            "clari.sync.lookback|1h|ISO-8601 duration",
            "clari.sync.start-date|yesterday|ISO date",
            "clari.api.base-url|ftp://x|http(s) URL",
            "clari.sync.streams|calls,meetings|unknown stream 'meetings'",
            "clari.sync.schedule|every 6 hours|Quartz cron",
            "warehouse.url|/tmp/x.duckdb|JDBC URL",
            "clari.sync.run-on-start|yes|true or false",
            "report.serve|on|true or false",
            "clari.details.mode|sometimes|incremental",
            "clari.api.rate-margin|1.5|must be a number from 0.0 to 1.0",
            "clari.api.rate-margin|two percent|must be a number from 0.0 to 1.0",
            "clari.api.throttle-pause|1s|ISO-8601 duration",
            "clari.api.throttle-persist|0|between 1 and 1000",
            "clari.api.page-size-backoff-after|many|must be a whole number",
            "clari.api.page-size-recover-after|0|between 1 and 1000000",
            "clari.history.streams|calls,users|cannot keep the history of 'users'",
    })
    void should_reject_a_malformed_value_naming_the_key(String key, String value, String expected) {
        assertThatThrownBy(() -> ConnectorSettings.from(resolve(Map.of(key, value), Map.of()), false))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith(key + ":")
                .hasMessageContaining(expected);
    }

    @Test
    void should_accept_a_start_date_as_date_or_instant() {
        assertThat(ConnectorSettings.from(resolve(Map.of("clari.sync.start-date", "2024-03-01"), Map.of()), false).startDate())
                .hasToString("2024-03-01T00:00:00Z");
        assertThat(ConnectorSettings.from(resolve(Map.of("clari.sync.start-date", "2024-03-01T10:00:00Z"), Map.of()), false).startDate())
                .hasToString("2024-03-01T10:00:00Z");
    }

    @Test
    void should_map_keys_to_env_names() {
        assertThat(EnvNames.of("clari.api.base-url")).isEqualTo("CLARI_API_BASE_URL");
        assertThat(EnvNames.of("warehouse.password")).isEqualTo("WAREHOUSE_PASSWORD");
        assertThat(EnvNames.of("report.serve")).isEqualTo("REPORT_SERVE");
    }
}
