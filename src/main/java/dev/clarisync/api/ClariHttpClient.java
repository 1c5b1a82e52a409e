package dev.clarisync.api;

import dev.clarisync.config.ApiProxy;
import dev.clarisync.config.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.TunnelRefusedException;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.util.Timeout;

/**
 * Shapes the HTTP client behind every Clari request:
 * <ul>
 *   <li>adds the two credential headers at the client level, so they are never in a Camel message
 *       and no route, log, trace or error handler can print them;</li>
 *   <li>reports every request that goes on the wire (retries included) to the run's counters;</li>
 *   <li>sets connect/response timeouts and turns off the client's own hidden retries, so
 *       {@link RetryPolicy} is the only retry policy;</li>
 *   <li>sends through the account's forward proxy ({@link ApiProxy}), if any: plain-HTTP requests carry the proxy's
 *       credentials at once (no 407 round trip, no request counted twice), an https tunnel ({@code CONNECT}) answers
 *       the proxy's challenge; a proxy that cannot be reached or answers 407 fails with an exception naming it.</li>
 * </ul>
 * TLS to Clari uses the JVM's default trust store (camel-http's default context, {@code SSLContexts.createDefault()}),
 * so {@code -Djavax.net.ssl.trustStore=...} adds a corporate CA.
 */
public final class ClariHttpClient implements HttpClientConfigurer {
    private static final String PATH_ATTRIBUTE = "clari.path";
    private static final String PROXY_AUTHORIZATION = "Proxy-Authorization";
    private final Secret key;
    private final Secret password;
    private final Duration timeout;
    private final ApiProxy proxy;
    private final Consumer<String> onRequest;
    private final java.util.function.ObjIntConsumer<String> onResponse;

    /**
     * @param onRequest  told the path of every request put on the wire
     * @param onResponse told the path and HTTP status of every response received
     */
    public ClariHttpClient(Secret key, Secret password, Duration timeout, ApiProxy proxy, Consumer<String> onRequest,
                           java.util.function.ObjIntConsumer<String> onResponse) {
        this.key = key;
        this.password = password;
        this.timeout = timeout;
        this.proxy = proxy;
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
        if (!proxy.direct()) {
            throughProxy(builder);
        }
    }

    private void throughProxy(HttpClientBuilder builder) {
        HttpHost host = new HttpHost("http", proxy.address().getHost(), proxy.address().getPort());
        builder.setProxy(host);
        String basic = null;
        if (proxy.user() != null) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(new AuthScope(host), new UsernamePasswordCredentials(proxy.user(), proxy.password().reveal().toCharArray()));
            builder.setDefaultCredentialsProvider(credentials); // the CONNECT of an https tunnel answers the challenge
            basic = "Basic " + Base64.getEncoder().encodeToString((proxy.user() + ":" + proxy.password().reveal()).getBytes(StandardCharsets.UTF_8));
        }
        String preemptive = basic;
        builder.addExecInterceptorFirst("clari-proxy", (request, scope, chain) -> {
            if (preemptive != null && scope.route.getProxyHost() != null && !scope.route.isTunnelled()) {
                request.setHeader(PROXY_AUTHORIZATION, preemptive);
            }
            ClassicHttpResponse response;
            try {
                response = chain.proceed(request, scope);
            } catch (TunnelRefusedException e) {
                if (e.getMessage() != null && e.getMessage().contains(" 407")) {
                    throw new ProxyAuthenticationException(proxy);
                }
                throw e;
            } catch (IOException e) {
                String why = NetworkFailure.why(e);
                throw why == null || e instanceof ProxyUnreachableException ? e : new ProxyUnreachableException(proxy, why, e);
            }
            if (response.getCode() == HttpStatus.SC_PROXY_AUTHENTICATION_REQUIRED) {
                response.close();
                throw new ProxyAuthenticationException(proxy);
            }
            return response;
        });
    }
}
