package dev.clarisync.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the effective configuration, lowest precedence first:
 * <ol>
 *   <li>the {@code application.properties} packaged in the jar (every key, with its default);</li>
 *   <li>{@code ./application.properties} in the working directory, or the file named by
 *       {@code --config=FILE} / env {@code CLARI_CONFIG}, when present;</li>
 *   <li>environment variables ({@code clari.api.rate-limit} ← {@code CLARI_API_RATE_LIMIT});</li>
 *   <li>{@code --key=value} command-line arguments.</li>
 * </ol>
 * Values of the form <code>{{env:NAME}}</code> or <code>{{env:NAME:default}}</code> are replaced by that
 * environment variable, so secrets can stay out of files; a secret's {@code NAME_FILE} variable names a file
 * that holds it ({@link SecretsPolicy}). An unknown key of ours fails with a suggestion ({@link KnownKeys}), and so does
 * an unknown environment variable of ours ({@link KnownEnvironment}).
 */
public final class SettingsSource {
    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)(?::([^}]*))?}}");

    private SettingsSource() {
    }

    /** Resolves the layered properties. {@code cliOverrides} are the {@code --key=value} pairs already parsed. */
    public static Map<String, String> resolve(Map<String, String> cliOverrides, Map<String, String> environment, Path workDir) {
        Map<String, String> env = SecretsPolicy.withSecretFiles(environment);
        Map<String, String> merged = new LinkedHashMap<>();
        loadClasspathDefaults(merged);
        Set<String> packaged = Set.copyOf(merged.keySet());
        Path file = configFile(cliOverrides, env, workDir);
        if (file != null) {
            load(file, merged);
        }
        for (String key : List.copyOf(merged.keySet())) {
            String fromEnv = env.get(EnvNames.of(key));
            if (fromEnv != null) {
                merged.put(key, fromEnv);
            }
        }
        cliOverrides.forEach((k, v) -> {
            if (!"config".equals(k)) {
                merged.put(k, v);
            }
        });
        // per-workspace keys have no packaged default, so the loop above cannot see their env variables;
        // the command line still wins over them
        Workspaces.fromEnv(merged, env).forEach((k, v) -> {
            if (!cliOverrides.containsKey(k)) {
                merged.put(k, v);
            }
        });
        // a typo in the file or on the command line must not be silently ignored
        KnownKeys.check(merged.keySet(), packaged);
        // ... nor one in the environment, where most settings arrive on Kubernetes
        KnownEnvironment.check(env, packaged, Workspaces.names(merged));
        merged.replaceAll((k, v) -> expandEnv(v, env));
        // HTTPS_PROXY, NO_PROXY, ...: read only when clari.api.proxy is unset (ApiProxy); added after the key check,
        // which they would fail, and kept out of Camel's properties like secrets (a proxy URL may hold a password)
        merged.putAll(ApiProxy.fromEnvironment(env));
        return merged;
    }

    /**
     * Resolves as {@link #resolve} with no command line, for a connector started by a platform rather than the Launcher
     * (Camel K, any Camel Main): the platform's own properties ({@code platform}, e.g. Camel K's camel.properties trait)
     * win over the layers for every key of ours, per-workspace keys of the listed workspaces included. A platform
     * property that looks like ours but is no key ({@code platformKeys}) stops the start, as an unknown key does on the
     * command line: a typo in the trait or the mounted configuration is not silently ignored.
     */
    public static Map<String, String> resolveOnPlatform(Map<String, String> environment, Path workDir,
                                                        java.util.Collection<String> platformKeys,
                                                        java.util.function.Function<String, java.util.Optional<String>> platform) {
        KnownKeys.checkCamelProperties(platformKeys, packagedKeys());
        Map<String, String> p = resolve(Map.of(), environment, workDir);
        for (String key : List.copyOf(p.keySet())) {
            platform.apply(key).ifPresent(v -> p.put(key, v));
        }
        // per-workspace keys exist only for the listed workspaces, so a platform property may add them
        for (String name : Workspaces.names(p)) {
            for (String suffix : Workspaces.suffixes()) {
                String key = Workspaces.key(name, suffix);
                platform.apply(key).ifPresent(v -> p.put(key, v));
            }
        }
        return p;
    }

    /** The keys of the packaged application.properties. */
    public static Set<String> packagedKeys() {
        Map<String, String> defaults = new LinkedHashMap<>();
        loadClasspathDefaults(defaults);
        return Set.copyOf(defaults.keySet());
    }

    /**
     * The packaged defaults with {@code values} over them, and nothing else: no {@code ./application.properties}, no
     * environment. For a connector embedded in someone else's process (the Kamelet), whose working directory and
     * environment belong to that process. Unknown keys of ours fail as in {@link #resolve}.
     */
    public static Map<String, String> packagedWith(Map<String, String> values) {
        Map<String, String> merged = new LinkedHashMap<>();
        loadClasspathDefaults(merged);
        Set<String> packaged = Set.copyOf(merged.keySet());
        merged.putAll(values);
        KnownKeys.check(merged.keySet(), packaged);
        merged.replaceAll((k, v) -> expandEnv(v, Map.of()));
        return merged;
    }

    /** The value of {@code key} in the packaged application.properties (its default), or null. */
    public static String packagedDefault(String key) {
        Map<String, String> defaults = new LinkedHashMap<>();
        loadClasspathDefaults(defaults);
        return defaults.get(key);
    }

    static String expandEnv(String value, Map<String, String> env) {
        if (value == null || !value.contains("{{env:")) {
            return value;
        }
        Matcher m = ENV_PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            if (v == null) {
                v = m.group(2) == null ? "" : m.group(2);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Path configFile(Map<String, String> cli, Map<String, String> env, Path workDir) {
        String named = cli.getOrDefault("config", env.get("CLARI_CONFIG"));
        if (named != null && !named.isBlank()) {
            Path p = workDir.resolve(named);
            if (!Files.isRegularFile(p)) {
                throw new SettingsException("config", "file not found: " + p);
            }
            return p;
        }
        Path local = workDir.resolve("application.properties");
        return Files.isRegularFile(local) ? local : null;
    }

    private static void loadClasspathDefaults(Map<String, String> into) {
        try (InputStream in = SettingsSource.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new IllegalStateException("application.properties is missing from the jar");
            }
            Properties p = new Properties();
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            p.stringPropertyNames().stream().sorted().forEach(k -> into.put(k, p.getProperty(k).trim()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read packaged application.properties", e);
        }
    }

    private static void load(Path file, Map<String, String> into) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties p = new Properties();
            p.load(r);
            p.stringPropertyNames().forEach(k -> into.put(k, p.getProperty(k).trim()));
        } catch (IOException e) {
            throw new SettingsException("config", "cannot read " + file + ": " + e.getMessage());
        }
    }
}
