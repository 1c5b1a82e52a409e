package dev.clarisync.config;

/**
 * A credential. Its {@code toString} never shows the value, so it is safe in logs, exceptions and
 * string concatenation by accident; only {@link #reveal()} gives the value, for the one place that
 * sends it (the HTTP client, the JDBC driver).
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value == null ? "" : value;
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "(empty)" : "****";
    }
}
