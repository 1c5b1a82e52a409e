package dev.clarisync.ops;

import dev.clarisync.api.NetworkFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A quick TCP probe of the API host for {@code check}: a host that cannot be reached (refused, unknown, no route,
 * no answer) is reported within {@link #BUDGET} instead of after the full retry policy a sync uses.
 */
public final class ApiReachability {
    /** The whole probe, name lookup included, ends within this. */
    public static final Duration BUDGET = Duration.ofSeconds(5);

    private ApiReachability() {
    }

    /** Null when a TCP connection to the API's host and port opens; else why not, in a few words ("connection refused"). */
    public static String problem(URI base) {
        int port = base.getPort() > 0 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
        CompletableFuture<String> probe = CompletableFuture.supplyAsync(() -> connect(base.getHost(), port));
        try {
            return probe.get(BUDGET.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            probe.cancel(true);
            return "no answer within " + BUDGET.toSeconds() + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException e) {
            return String.valueOf(e.getCause());
        }
    }

    private static String connect(String host, int port) {
        try (Socket s = new Socket()) {
            InetAddress address = InetAddress.getByName(host);
            s.connect(new InetSocketAddress(address, port), (int) BUDGET.toMillis());
            return null;
        } catch (IOException e) {
            String why = NetworkFailure.why(e);
            return why != null ? why : e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
