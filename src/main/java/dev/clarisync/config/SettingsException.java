package dev.clarisync.config;

/** A configuration value is missing or malformed. The message names the key and says how to set it. */
public final class SettingsException extends RuntimeException {
    private final String key;

    public SettingsException(String key, String problem) {
        super(key + ": " + problem + " (set " + key + " in application.properties, env " + EnvNames.of(key)
                + " or --" + key + "=...)");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
