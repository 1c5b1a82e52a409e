package dev.clarisync.api;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP forward proxy on loopback for tests: takes absolute-URI requests ({@code GET http://host:port/path}),
 * forwards them with the JDK's client (never through a proxy) and answers with the upstream's status, headers and
 * body, keeping the client's connection open. With a user it demands {@code Proxy-Authorization: Basic} and answers
 * 407 with a challenge otherwise. Counts what it forwarded and what it refused.
 */
final class ForwardProxy implements AutoCloseable {
    /** Hop-by-hop headers and those the JDK client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "proxy-connection", "proxy-authorization",
            "content-length", "keep-alive", "transfer-encoding", "upgrade", "expect", "te");

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpClient upstream = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).version(HttpClient.Version.HTTP_1_1).build();
    private final String expectedAuthorization;
    final AtomicInteger forwarded = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();

    private ForwardProxy(String user, String password) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.expectedAuthorization = user == null ? null
                : "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        threads.submit(this::accept);
    }

    static ForwardProxy open() throws IOException {
        return new ForwardProxy(null, null);
    }

    static ForwardProxy withUser(String user, String password) throws IOException {
        return new ForwardProxy(user, password);
    }

    int port() {
        return server.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.submit(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; InputStream in = new BufferedInputStream(client.getInputStream()); OutputStream out = client.getOutputStream()) {
            String requestLine;
            while ((requestLine = line(in)) != null && !requestLine.isEmpty()) {
                Map<String, String> headers = new LinkedHashMap<>();
                for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                    int colon = h.indexOf(':');
                    headers.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
                }
                String[] parts = requestLine.split(" ");
                if (expectedAuthorization != null && !expectedAuthorization.equals(header(headers, "proxy-authorization"))) {
                    refused.incrementAndGet();
                    write(out, 407, "Proxy Authentication Required", Map.of("Proxy-Authenticate", "Basic realm=\"test proxy\""), new byte[0]);
                    continue;
                }
                forward(parts[0], URI.create(parts[1]), headers, out);
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    private void forward(String method, URI target, Map<String, String> headers, OutputStream out) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach((k, v) -> {
            if (!NOT_FORWARDED.contains(k.toLowerCase(Locale.ROOT))) {
                request.header(k, v);
            }
        });
        HttpResponse<byte[]> response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        forwarded.incrementAndGet();
        Map<String, String> back = new LinkedHashMap<>();
        response.headers().map().forEach((k, v) -> {
            if (!NOT_FORWARDED.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) {
                back.put(k, String.join(", ", v));
            }
        });
        write(out, response.statusCode(), "Status", back, response.body());
    }

    private static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static void write(OutputStream out, int status, String reason, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** One CRLF-terminated line, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
