package dev.clarisync.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one secrets policy, used by every message that mentions a secret and quoted in the README:
 * {@value #POLICY}
 */
public final class SecretsPolicy {
    /** The policy in one sentence; docs/configuration.md states it in these words. */
    public static final String POLICY = "secrets come from the environment (CLARI_API_KEY, CLARI_API_PASSWORD, WAREHOUSE_PASSWORD)"
            + " or from a file named by the same variable with _FILE appended (CLARI_API_PASSWORD_FILE=/run/secrets/clari-password);"
            + " on the command line they work but are visible to other users in ps, so the connector warns";
    /** The secret keys of a single-workspace deployment. */
    public static final Set<String> SECRET_KEYS = Set.of("clari.api.key", "clari.api.password", "warehouse.password",
            "clari.privacy.salt");
    /** Per-workspace credentials ({@code clari.workspace.<name>.api-key}) are secrets too. */
    private static final Pattern WORKSPACE_SECRET = Pattern.compile("clari\\.workspace\\.[a-z][a-z0-9_]*\\.api-(key|password)");
    private static final Pattern SECRET_ENV = Pattern.compile("CLARI_API_KEY|CLARI_API_PASSWORD|WAREHOUSE_PASSWORD|CLARI_API_PROXY|CLARI_PRIVACY_SALT"
            + "|CLARI_WORKSPACE_[A-Z0-9_]+_API_(KEY|PASSWORD)");
    static final String FILE_SUFFIX = "_FILE";

    private SecretsPolicy() {
    }

    public static boolean isSecret(String key) {
        return SECRET_KEYS.contains(key) || WORKSPACE_SECRET.matcher(key).matches() || isProxy(key);
    }

    /** The proxy URL may hold a password ({@code http://user:password@host:port}): kept like a secret, and so are the
     * standard proxy variables the settings keep ({@link ApiProxy}). */
    private static boolean isProxy(String key) {
        return ApiProxy.KEY.equals(key) || key.startsWith(ApiProxy.ENV_PREFIX);
    }

    /** Whether {@code variable} names a file holding a secret ({@code CLARI_API_PASSWORD_FILE}). */
    public static boolean isSecretFileVariable(String variable) {
        return variable.endsWith(FILE_SUFFIX)
                && SECRET_ENV.matcher(variable.substring(0, variable.length() - FILE_SUFFIX.length())).matches();
    }

    /** How to set a secret key, for error messages: {@code set env CLARI_API_KEY, or CLARI_API_KEY_FILE naming a file that holds it}. */
    public static String howToSet(String key) {
        String env = EnvNames.of(key);
        return "set env " + env + ", or " + env + FILE_SUFFIX + " naming a file that holds it";
    }

    /** One warning line per secret given as {@code --key=value}: the value is visible in {@code ps}. */
    public static List<String> commandLineWarnings(Map<String, String> cliOverrides) {
        List<String> out = new ArrayList<>();
        // a proxy URL without a user is no secret
        cliOverrides.keySet().stream().filter(SecretsPolicy::isSecret).filter(k -> !isProxy(k) || cliOverrides.get(k).contains("@"))
                .sorted().forEach(key -> out.add("warning: --" + key
                + " on the command line is visible to other users of this machine (ps); " + howToSet(key) + " instead"));
        return out;
    }

    /**
     * The environment with every {@code <SECRET>_FILE} replaced by {@code <SECRET>} = the file's content (trailing
     * line breaks removed), for secrets mounted as files (Kubernetes, Docker). Setting both is an error, as is a
     * file that cannot be read; both name the variable.
     */
    public static Map<String, String> withSecretFiles(Map<String, String> env) {
        Map<String, String> out = null;
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (!isSecretFileVariable(name)) {
                continue;
            }
            String target = name.substring(0, name.length() - FILE_SUFFIX.length());
            if (env.containsKey(target)) {
                throw SettingsException.plain(name, "both " + target + " and " + name + " are set: keep one");
            }
            if (out == null) {
                out = new LinkedHashMap<>(env);
            }
            out.put(target, read(name, e.getValue()));
        }
        return out == null ? env : out;
    }

    private static String read(String variable, String file) {
        try {
            String content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            int end = content.length();
            while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
                end--;
            }
            return content.substring(0, end);
        } catch (IOException | RuntimeException e) {
            throw SettingsException.plain(variable, variable + ": cannot read the secret file " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
