package dev.clarisync.api;

import dev.clarisync.config.ApiProxy;
import java.io.IOException;

/**
 * No connection to the configured forward proxy (refused, unknown host, no route, connect timeout). An
 * {@link IOException} like any unreachable network, so a sync retries it as before; its message names the proxy
 * (never its password) and where it was configured, so the last line says which setting to check.
 */
public final class ProxyUnreachableException extends IOException {
    private final String advice;

    public ProxyUnreachableException(ApiProxy proxy, String why, IOException cause) {
        super("cannot reach the proxy " + proxy.address() + " (" + why + "), named by " + proxy.source(), cause);
        this.advice = proxy.howToChange();
    }

    /** What to check: the setting that named the proxy. */
    public String advice() {
        return advice;
    }
}
