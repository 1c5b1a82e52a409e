package dev.clarisync.api;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/** Says in words why the API could not be reached, for retry log lines and {@code check}: "API unreachable (connection refused)". */
public final class NetworkFailure {
    private NetworkFailure() {
    }

    /** Whether {@code t} (or a cause) means no connection was made: refused, unknown host, no route, connect timeout. */
    public static boolean isUnreachable(Throwable t) {
        return why(t) != null;
    }

    /** {@code API unreachable (<why>)} (or the proxy's) for a failed connection; else the exception's simple name (as before). */
    public static String describe(Throwable t) {
        for (Throwable cur = t; cur != null; cur = cur.getCause() == cur ? null : cur.getCause()) {
            if (cur instanceof ProxyUnreachableException proxy) {
                return proxy.getMessage();
            }
        }
        String why = why(t);
        if (why != null) {
            return "API unreachable (" + why + ")";
        }
        for (Throwable cur = t; cur != null; cur = cur.getCause() == cur ? null : cur.getCause()) {
            if (cur instanceof SocketTimeoutException) {
                return "no answer within clari.api.timeout"; // accepted, never answered: a stalled request
            }
        }
        return t == null ? "unknown" : t.getClass().getSimpleName();
    }

    /** The reason a connection failed, in a few words, or null if {@code t} is not a connection failure. */
    public static String why(Throwable t) {
        for (Throwable cur = t; cur != null; cur = cur.getCause() == cur ? null : cur.getCause()) {
            if (cur instanceof UnknownHostException) {
                return "unknown host " + cur.getMessage();
            }
            if (cur instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (cur instanceof ConnectException) {
                String m = String.valueOf(cur.getMessage()).toLowerCase(Locale.ROOT);
                return m.contains("refused") ? "connection refused" : m.contains("timed out") ? "connect timeout" : "cannot connect";
            }
            if (cur instanceof SocketTimeoutException && String.valueOf(cur.getMessage()).toLowerCase(Locale.ROOT).contains("connect")) {
                return "connect timeout";
            }
        }
        return null;
    }
}
