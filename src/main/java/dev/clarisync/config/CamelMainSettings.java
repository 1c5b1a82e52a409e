package dev.clarisync.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Camel Main's own settings, derived from ours: the HTTP component's timeouts and retries, stream caching, shutdown,
 * metrics, and for {@code run} the management server and route reload. The Launcher hands them to Camel Main; on Camel K
 * only the {@code clari.internal.*} ones are added, below whatever the platform set.
 */
public final class CamelMainSettings {
    /** Camel Main instances the Launcher built in this JVM. */
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private CamelMainSettings() {
    }

    /**
     * The defaults a connector started by a platform (Camel K, no Launcher) gives the routes' <code>{{...}}</code>
     * placeholders, below anything the platform set: our settings (never the secrets) and the {@code clari.internal.*}
     * keys of {@code run}.
     */
    public static Map<String, String> forPlatform(ConnectorSettings settings) {
        Map<String, String> p = new LinkedHashMap<>(settings.camelProperties());
        of(settings, true).forEach((k, v) -> {
            if (k.startsWith("clari.")) {
                p.put(k, v);
            }
        });
        return p;
    }

    /** Every property the Launcher's Camel Main gets: our settings (never the secrets), then Camel's own ({@link #of}). */
    public static Map<String, String> forLauncher(ConnectorSettings settings, boolean service) {
        Map<String, String> p = new LinkedHashMap<>(settings.camelProperties());
        p.putAll(of(settings, service));
        int instance = INSTANCES.getAndIncrement();
        if (!service && instance > 0) {
            // Quartz names its (JVM-wide) scheduler after the context: connectors side by side in one JVM (two shards in a
            // test, the demo after a sync) each need their own name; the service keeps the plain one its metrics carry
            p.put("camel.main.name", "clari-copilot-connector-" + instance);
        }
        return p;
    }

    /** The largest answer (with a Content-Length) read into memory rather than through Camel's stream cache. */
    public static final int RESPONSE_IN_MEMORY_BYTES = 16 << 20;

    /** Camel's own settings, derived from ours. */
    public static Map<String, String> of(ConnectorSettings settings, boolean service) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("camel.main.name", "clari-copilot-connector");
        // camel-http would otherwise retry 429/503 once on its own, hidden from our policy
        p.put("camel.component.http.automatic-retries-disabled", "true");
        // firsthour #18: clari.api.timeout bounds the connect too (camel-http's own default is 3 minutes per attempt)
        p.put("camel.component.http.connect-timeout", Long.toString(settings.apiTimeout().toMillis()));
        // an answer with a Content-Length up to this size is read into a byte array and its connection released at once;
        // above it (the default is 8 KiB, less than most /call-details answers) camel-http copies the body into a stream
        // cache whose cleanup is registered on the exchange, and the split hands those over to the sync's exchange: one
        // object graph per request kept until the run ends (86,000 at 100,000 calls), and pages over 128 KiB spooled
        // to temp files. The body is parsed into a tree anyway, which is larger than its bytes.
        p.put("camel.component.http.response-payload-streaming-threshold", Integer.toString(RESPONSE_IN_MEMORY_BYTES));
        // an answer above that (an all-day transcript) is copied by camel-http into a stream cache: spooled to a temp file
        // past 4 MiB rather than grown in memory, so reading it stops at clari.details.max-answer-bytes (set aside, not
        // an OutOfMemoryError in a details thread, which left the run waiting for an answer that never came)
        p.put("camel.main.stream-caching-spool-enabled", "true");
        p.put("camel.main.stream-caching-spool-threshold", Integer.toString(4 << 20));
        // run: the page in flight may finish (45 s); a one-shot command asked to stop (SIGTERM) abandons it sooner: every
        // page and batch commits whole, so the next run resumes exactly (CrashSafetyIT)
        p.put("camel.main.shutdown-timeout", service ? "45" : "5");
        p.put("camel.main.extra-shutdown-timeout", service ? "15" : "3");
        p.put(KnownKeys.SCHEDULED, Boolean.toString(service));
        p.put(KnownKeys.SYNC_ON_START, Boolean.toString(service && settings.runOnStart()));
        // Micrometer route timings and our domain metrics share one Prometheus registry
        p.put("camel.metrics.enabled", "true");
        p.put("camel.metrics.enable-route-policy", Boolean.toString(service));
        if (!service) {
            // a one-shot command serves no metrics and no JMX, and these cost CPU on every exchange: the exchange
            // notifier searched the whole registry each time, JMX timed every step (a tenth of a details fetch)
            p.put("camel.metrics.enable-exchange-event-notifier", "false");
            p.put("camel.metrics.enable-route-event-notifier", "false");
            p.put("camel.main.jmx-enabled", "false");
        }
        if (service) {
            // run mode: /observe/health{,/live,/ready} and /observe/metrics on management.port
            p.put("camel.management.enabled", "true");
            p.put("camel.management.port", Integer.toString(settings.managementPort()));
            p.put("camel.management.host", "0.0.0.0");
            p.put("camel.management.health-check-enabled", "true");
            p.put("camel.management.metrics-enabled", "true");
            p.put("camel.health.enabled", "true");
            // edited route files are reloaded in place; a broken edit is rejected and the running routes stay
            p.put("camel.main.routes-reload-enabled", "true");
            p.put("camel.main.routes-reload-directory", Path.of(settings.routesDir()).toAbsolutePath().normalize().toString());
            p.put("camel.main.routes-reload-pattern", "*.camel.yaml");
            p.put("camel.main.routes-reload-remove-all-routes", "false");
        }
        return p;
    }
}
