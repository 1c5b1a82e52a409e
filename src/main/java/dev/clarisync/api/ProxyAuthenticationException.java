package dev.clarisync.api;

import dev.clarisync.config.ApiProxy;

/**
 * The forward proxy answered 407 Proxy Authentication Required: it wants a user and password the connector did
 * not give, or refused the ones it gave. A configuration problem, never retried (a retry cannot change the answer).
 * Unchecked, so the retry policy and Camel pass it through; the message names the proxy and the setting, never the
 * password.
 */
public final class ProxyAuthenticationException extends RuntimeException {
    public ProxyAuthenticationException(ApiProxy proxy) {
        super("the proxy " + proxy.address() + " (named by " + proxy.source() + ") answered 407 Proxy Authentication Required: "
                + (proxy.user() == null ? "it needs a user and password, as http://user:password@host:port"
                : "it refused the user " + proxy.user() + " or the password") + "; " + proxy.howToChange());
    }
}
