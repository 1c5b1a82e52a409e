package dev.clarisync.config;

/** A configuration value is missing or malformed. The message names the key and says how to set it. */
public final class SettingsException extends RuntimeException {
    private final String key;

    public SettingsException(String key, String problem) {
        super(key + ": " + problem + " (" + (SecretsPolicy.isSecret(key) ? SecretsPolicy.howToSet(key)
                : "set " + key + " in application.properties, env " + EnvNames.of(key) + " or --" + key + "=...") + ")");
        this.key = key;
    }

    private SettingsException(String key, String message, boolean plain) {
        super(message);
        this.key = key;
    }

    /** An exception whose message is exactly {@code message} (which names the key itself). */
    public static SettingsException plain(String key, String message) {
        return new SettingsException(key, message, true);
    }

    public String key() {
        return key;
    }
}
