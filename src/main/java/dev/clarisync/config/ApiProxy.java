package dev.clarisync.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The forward proxy every Clari request of one account goes through, or none. Chosen once per base URL, first match:
 * <ol>
 *   <li>{@code clari.api.proxy} ({@code CLARI_API_PROXY}, {@code _FILE}): {@code http://[user:password@]host:port};</li>
 *   <li>the JVM's proxy properties ({@code -Dhttps.proxyHost}/{@code https.proxyPort} for an https base URL,
 *       {@code http.proxyHost}/{@code http.proxyPort} for http), unless {@code http.nonProxyHosts} matches the host;</li>
 *   <li>the environment: {@code https_proxy}/{@code HTTPS_PROXY} (https base URL) or {@code http_proxy}/{@code HTTP_PROXY}
 *       (http), lower case first as curl reads them, unless {@code no_proxy}/{@code NO_PROXY} matches the host.</li>
 * </ol>
 * The password is a {@link Secret}; {@link #describe()} and every message show the proxy without it.
 *
 * @param address  {@code http://host:port} without user or password; null for a direct connection
 * @param user     the proxy user, or null
 * @param password the proxy password (empty without one)
 * @param source   where the choice came from ({@code clari.api.proxy}, {@code HTTPS_PROXY}, {@code -Dhttps.proxyHost},
 *                 {@code NO_PROXY} for a bypass), or null when nothing names a proxy
 */
public record ApiProxy(URI address, String user, Secret password, String source) {
    /** The key, and the prefix under which {@link SettingsSource} keeps the standard variables it saw in the environment. */
    public static final String KEY = "clari.api.proxy";
    static final String ENV_PREFIX = KEY + ".env.";
    /** The standard variables, in the order they are read (lower case first, as curl). */
    static final List<String> STANDARD_VARIABLES = List.of("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY");

    private static final ApiProxy DIRECT = new ApiProxy(null, null, Secret.of(""), null);

    /** Whether requests go straight to Clari. */
    public boolean direct() {
        return address == null;
    }

    /**
     * What {@code check} and messages may show: {@code http://proxy.corp:3128 (from HTTPS_PROXY, user alice)},
     * {@code none (NO_PROXY matches rest-api.copilot.clari.com)} or {@code none}. Never the password.
     */
    public String describe() {
        if (direct()) {
            return source == null ? "none" : "none (" + source + ")";
        }
        return address + " (from " + source + (user == null ? "" : ", user " + user) + ")";
    }

    /** Where to change it, for error messages. */
    public String howToChange() {
        return KEY.equals(source) ? "check clari.api.proxy (env CLARI_API_PROXY)"
                : source != null && source.startsWith("-D") ? "check the JVM's " + source.substring(2) + " and its port (JAVA_TOOL_OPTIONS)"
                : "check " + source + " (or set clari.api.proxy, which wins)";
    }

    /** The standard proxy variables present in {@code env}, under {@value #ENV_PREFIX}, for the settings map. */
    static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String name : STANDARD_VARIABLES) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                out.put(ENV_PREFIX + name, v.trim());
            }
        }
        return out;
    }

    /**
     * The proxy for requests to {@code base}, from the resolved settings (with the environment's standard variables
     * that {@link SettingsSource} kept) and the JVM's properties. A malformed value fails naming its source.
     */
    public static ApiProxy resolve(URI base, Map<String, String> settings, Function<String, String> jvmProperties) {
        String configured = settings.getOrDefault(KEY, "").trim();
        if (!configured.isEmpty()) {
            return parse(configured, KEY);
        }
        String host = base.getHost().toLowerCase(Locale.ROOT);
        String scheme = "https".equals(base.getScheme()) ? "https" : "http";
        String jvmHost = jvmProperties.apply(scheme + ".proxyHost");
        if (jvmHost != null && !jvmHost.isBlank()) {
            String nonProxy = jvmProperties.apply("http.nonProxyHosts");
            if (nonProxy != null && matchesJvmNonProxy(host, nonProxy)) {
                return new ApiProxy(null, null, Secret.of(""), "-Dhttp.nonProxyHosts matches " + host);
            }
            String port = jvmProperties.apply(scheme + ".proxyPort");
            String source = "-D" + scheme + ".proxyHost";
            return parse("http://" + jvmHost.trim() + ":" + (port == null || port.isBlank() ? "https".equals(scheme) ? "443" : "80" : port.trim()), source);
        }
        for (String name : List.of(scheme + "_proxy", scheme.toUpperCase(Locale.ROOT) + "_PROXY")) {
            String v = settings.get(ENV_PREFIX + name);
            if (v != null) {
                String noProxy = settings.getOrDefault(ENV_PREFIX + "no_proxy", settings.get(ENV_PREFIX + "NO_PROXY"));
                String noProxyName = settings.containsKey(ENV_PREFIX + "no_proxy") ? "no_proxy" : "NO_PROXY";
                if (noProxy != null && matchesNoProxy(host, base.getPort(), noProxy)) {
                    return new ApiProxy(null, null, Secret.of(""), noProxyName + " matches " + host);
                }
                return parse(v.contains("://") ? v : "http://" + v, name);
            }
        }
        return DIRECT;
    }

    /** {@code http://[user:password@]host[:port]}; a proxy spoken to over TLS ({@code https://}) is not supported. */
    static ApiProxy parse(String value, String source) {
        URI u;
        try {
            u = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (IllegalArgumentException e) {
            throw bad(source, "is not a URL");
        }
        if (!"http".equalsIgnoreCase(u.getScheme())) {
            throw bad(source, "must start with http:// (the connection to the proxy is plain HTTP; https to Clari is tunnelled through it)");
        }
        if (u.getHost() == null) {
            throw bad(source, "has no host");
        }
        if (u.getRawPath() != null && !u.getRawPath().isEmpty() || u.getRawQuery() != null) {
            throw bad(source, "must be http://[user:password@]host:port, without a path");
        }
        String user = null;
        String password = "";
        String info = u.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? "" : decode(info.substring(colon + 1));
        }
        int port = u.getPort() > 0 ? u.getPort() : 80;
        return new ApiProxy(URI.create("http://" + u.getHost() + ":" + port), user, Secret.of(password), source);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** A message naming where the value came from, never the value (it may hold a password). */
    private static SettingsException bad(String source, String why) {
        return KEY.equals(source) ? new SettingsException(KEY, why + ": expected http://[user:password@]host:port")
                : SettingsException.plain(source, source + ": " + why + ": expected http://[user:password@]host:port");
    }

    /**
     * curl's {@code NO_PROXY}: comma-separated hosts, each matching the host and its subdomains ({@code .corp} and
     * {@code corp} alike), {@code host:port} only on that port, {@code *} everything. CIDR ranges are not read.
     */
    static boolean matchesNoProxy(String host, int port, String noProxy) {
        for (String raw : noProxy.split(",")) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                return true;
            }
            int colon = entry.lastIndexOf(':');
            if (colon > 0 && entry.indexOf(':') == colon && !entry.startsWith("[")) {
                if (port > 0 && !entry.substring(colon + 1).equals(Integer.toString(port))) {
                    continue;
                }
                entry = entry.substring(0, colon);
            }
            entry = entry.startsWith("*.") ? entry.substring(1) : entry;
            String bare = entry.startsWith(".") ? entry.substring(1) : entry;
            if (host.equals(bare) || host.endsWith("." + bare)) {
                return true;
            }
        }
        return false;
    }

    /** The JVM's {@code http.nonProxyHosts}: {@code |}-separated host patterns with {@code *} at either end. */
    static boolean matchesJvmNonProxy(String host, String patterns) {
        for (String raw : patterns.split("\\|")) {
            String p = raw.trim().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            boolean match = p.startsWith("*") ? host.endsWith(p.substring(1)) : p.endsWith("*") ? host.startsWith(p.substring(0, p.length() - 1))
                    : host.equals(p);
            if (match) {
                return true;
            }
        }
        return false;
    }

    /** Kept out of logs: the password never prints. */
    @Override
    public String toString() {
        return "ApiProxy[" + describe() + "]";
    }
}
