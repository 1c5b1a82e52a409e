package dev.clarisync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which proxy a base URL gets: the setting, else the JVM's properties, else the standard variables. */
class ApiProxyTest {
    private static final URI CLARI = URI.create("https://rest-api.copilot.clari.com");

    private static Map<String, String> settings(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        Map<String, String> s = new HashMap<>(ApiProxy.fromEnvironment(env));
        if (env.containsKey("CLARI_API_PROXY")) {
            s.put(ApiProxy.KEY, env.get("CLARI_API_PROXY"));
        }
        return s;
    }

    @Test
    void should_prefer_the_setting_then_the_jvm_properties_then_the_environment() {
        Map<String, String> jvm = Map.of("https.proxyHost", "jvm.corp", "https.proxyPort", "8080");
        Map<String, String> all = settings("CLARI_API_PROXY", "http://u:p%40ss@set.corp:3128", "HTTPS_PROXY", "http://env.corp:1");
        ApiProxy set = ApiProxy.resolve(CLARI, all, jvm::get);
        assertThat(set.describe()).isEqualTo("http://set.corp:3128 (from clari.api.proxy, user u)");
        assertThat(set.password().reveal()).isEqualTo("p@ss");
        assertThat(set.toString()).doesNotContain("p@ss");

        Map<String, String> env = settings("HTTPS_PROXY", "http://env.corp:1", "https_proxy", "lower.corp:2");
        assertThat(ApiProxy.resolve(CLARI, env, jvm::get).describe()).isEqualTo("http://jvm.corp:8080 (from -Dhttps.proxyHost)");
        assertThat(ApiProxy.resolve(CLARI, env, k -> null).describe()).as("lower case first, as curl")
                .isEqualTo("http://lower.corp:2 (from https_proxy)");
        assertThat(ApiProxy.resolve(URI.create("http://sim:9"), env, k -> null).direct()).as("an http base URL reads HTTP_PROXY").isTrue();
        assertThat(ApiProxy.resolve(CLARI, settings(), k -> null).describe()).isEqualTo("none");
    }

    @Test
    void should_bypass_hosts_named_by_no_proxy_or_non_proxy_hosts() {
        assertThat(ApiProxy.matchesNoProxy("rest-api.copilot.clari.com", 443, ".clari.com")).isTrue();
        assertThat(ApiProxy.matchesNoProxy("rest-api.copilot.clari.com", 443, "clari.com")).isTrue();
        assertThat(ApiProxy.matchesNoProxy("rest-api.copilot.clari.com", 443, "*")).isTrue();
        assertThat(ApiProxy.matchesNoProxy("notclari.com", 443, "clari.com")).isFalse();
        assertThat(ApiProxy.matchesNoProxy("clari.com", 443, "clari.com:8443")).isFalse();
        assertThat(ApiProxy.matchesJvmNonProxy("rest-api.copilot.clari.com", "localhost|*.clari.com")).isTrue();
        assertThat(ApiProxy.resolve(CLARI, settings("HTTPS_PROXY", "http://env.corp:1", "NO_PROXY", "internal,.clari.com"), k -> null)
                .describe()).isEqualTo("none (NO_PROXY matches rest-api.copilot.clari.com)");
    }

    @Test
    void should_refuse_a_malformed_proxy_naming_its_source_but_not_its_value() {
        assertThatThrownBy(() -> ApiProxy.resolve(CLARI, settings("CLARI_API_PROXY", "https://u:secret-9@p:1"), k -> null))
                .isInstanceOf(SettingsException.class).hasMessageStartingWith("clari.api.proxy: must start with http://")
                .message().doesNotContain("secret-9");
        assertThatThrownBy(() -> ApiProxy.resolve(CLARI, settings("HTTPS_PROXY", "http://p:1/path"), k -> null))
                .hasMessageStartingWith("HTTPS_PROXY: must be http://[user:password@]host:port, without a path");
    }

    @Test
    void should_keep_the_proxy_out_of_camel_properties_and_warn_only_for_a_password_on_the_command_line() {
        assertThat(SecretsPolicy.isSecret(ApiProxy.KEY)).isTrue();
        assertThat(SecretsPolicy.isSecret(ApiProxy.ENV_PREFIX + "HTTPS_PROXY")).isTrue();
        assertThat(SecretsPolicy.commandLineWarnings(Map.of(ApiProxy.KEY, "http://p:1"))).isEmpty();
        assertThat(SecretsPolicy.commandLineWarnings(Map.of(ApiProxy.KEY, "http://u:pw@p:1"))).hasSize(1);
    }
}
