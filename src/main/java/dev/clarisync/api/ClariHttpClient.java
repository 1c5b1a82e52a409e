package dev.clarisync.api;

import dev.clarisync.config.Secret;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.util.Timeout;

/**
 * Shapes the HTTP client behind every Clari request:
 * <ul>
 *   <li>adds the two credential headers at the client level, so they are never in a Camel message
 *       and no route, log, trace or error handler can print them;</li>
 *   <li>reports every request that goes on the wire (retries included) to the run's counters;</li>
 *   <li>sets connect/response timeouts and turns off the client's own hidden retries, so
 *       {@link RetryPolicy} is the only retry policy.</li>
 * </ul>
 */
public final class ClariHttpClient implements HttpClientConfigurer {
    private static final String PATH_ATTRIBUTE = "clari.path";
    private final Secret key;
    private final Secret password;
    private final Duration timeout;
    private final Consumer<String> onRequest;
    private final java.util.function.ObjIntConsumer<String> onResponse;

    /**
     * @param onRequest  told the path of every request put on the wire
     * @param onResponse told the path and HTTP status of every response received
     */
    public ClariHttpClient(Secret key, Secret password, Duration timeout, Consumer<String> onRequest,
                           java.util.function.ObjIntConsumer<String> onResponse) {
        this.key = key;
        this.password = password;
        this.timeout = timeout;
        this.onRequest = onRequest;
        this.onResponse = onResponse;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        HttpRequestInterceptor auth = (request, entity, context) -> {
            request.setHeader("X-Api-Key", key.reveal());
            request.setHeader("X-Api-Password", password.reveal());
            onRequest.accept(request.getPath());
            context.setAttribute(PATH_ATTRIBUTE, request.getPath());
        };
        builder.addRequestInterceptorLast(auth);
        builder.addResponseInterceptorLast((response, entity, context) -> {
            Object path = context.getAttribute(PATH_ATTRIBUTE);
            onResponse.accept(path == null ? "?" : path.toString(), response.getCode());
        });
        builder.disableAutomaticRetries();
        Timeout t = Timeout.of(timeout.toMillis(), TimeUnit.MILLISECONDS);
        builder.setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(t).setResponseTimeout(t).build());
    }
}
