package dev.clarisync.config;

import java.util.Locale;

/** The environment variable that overrides a property key: upper-case, dots and dashes become underscores. */
public final class EnvNames {
    private EnvNames() {
    }

    public static String of(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
