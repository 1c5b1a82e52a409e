package dev.clarisync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clarisync.api.CallsWindowScan;
import dev.clarisync.api.PageRequest;
import dev.clarisync.api.Pagination;
import dev.clarisync.sync.DetailsBacklog;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;

/**
 * The benchmark's floor: what a bare HTTP client needs to fetch exactly the requests a sync makes, with no
 * parsing and no writing. A planning pass (not timed) walks the {@code /calls} windows with the connector's own
 * {@link CallsWindowScan} (same filters, page size, offset-cap splits) and collects the finished calls whose
 * details a sync fetches; the timed pass then replays those {@code /calls} URLs one after another (as the
 * connector pages) and fetches {@code /users} and every {@code /call-details} with {@code --parallelism} threads
 * (the connector's {@code clari.details.parallelism}), reading each body to the end and discarding it.
 *
 * <pre>
 * java -cp clari-copilot-connector.jar dev.clarisync.bench.Floor --base-url=http://127.0.0.1:P \
 *      [--start-date=2015-01-01] [--parallelism=4] [--page-size=100] [--max-skip=10000] [--repeat=1]
 * </pre>
 * Prints one {@code key=value} line per measurement (the best of {@code --repeat} timed passes):
 * {@code floor list_pages=.. list_seconds=.. details_requests=.. details_seconds=..}.
 */
public final class Floor {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CloseableHttpClient http;
    private final String base;
    private final String key;
    private final String password;

    private Floor(String base, String key, String password, int parallelism) {
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(parallelism + 2).setMaxConnPerRoute(parallelism + 2).build();
        this.http = HttpClients.custom().setConnectionManager(pool).disableAutomaticRetries().build();
        this.base = base;
        this.key = key;
        this.password = password;
    }

    public static void main(String[] args) throws Exception {
        String base = null;
        String key = System.getenv().getOrDefault("CLARI_API_KEY", "sim-key");
        String password = System.getenv().getOrDefault("CLARI_API_PASSWORD", "sim-password");
        Instant from = LocalDate.parse("2015-01-01").atStartOfDay(ZoneOffset.UTC).toInstant();
        int parallelism = 4;
        int pageSize = 100;
        int maxSkip = 10_000;
        int repeat = 1;
        for (String arg : args) {
            String v = arg.substring(arg.indexOf('=') + 1);
            if (arg.startsWith("--base-url=")) {
                base = v;
            } else if (arg.startsWith("--start-date=")) {
                from = v.contains("T") ? Instant.parse(v) : LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            } else if (arg.startsWith("--parallelism=")) {
                parallelism = Integer.parseInt(v);
            } else if (arg.startsWith("--page-size=")) {
                pageSize = Integer.parseInt(v);
            } else if (arg.startsWith("--max-skip=")) {
                maxSkip = Integer.parseInt(v);
            } else if (arg.startsWith("--repeat=")) {
                repeat = Integer.parseInt(v);
            } else {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        if (base == null) {
            throw new IllegalArgumentException("--base-url is required");
        }
        Floor f = new Floor(base, key, password, parallelism);
        Plan plan = f.plan(from, Instant.now(), pageSize, maxSkip);
        double bestList = Double.MAX_VALUE;
        double bestDetails = Double.MAX_VALUE;
        for (int i = 0; i < repeat; i++) {
            bestList = Math.min(bestList, f.fetchList(plan));
            bestDetails = Math.min(bestDetails, f.fetchDetails(plan, parallelism));
        }
        System.out.printf(java.util.Locale.ROOT, "floor list_requests=%d list_seconds=%.3f details_requests=%d details_seconds=%.3f parallelism=%d calls=%d%n",
                plan.pages.size() + 1, bestList, plan.detailIds.size(), bestDetails, parallelism, plan.calls);
        f.http.close();
    }

    /** The {@code /calls} URLs a sync requests, in order, and the ids of the finished calls it fetches details for. */
    private record Plan(List<String> pages, List<String> detailIds, long calls) {
    }

    private Plan plan(Instant from, Instant to, int pageSize, int maxSkip) throws IOException {
        CallsWindowScan scan = new CallsWindowScan(from, to, pageSize, maxSkip, 5);
        List<String> pages = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        long calls = 0;
        while (scan.hasNext()) {
            PageRequest request = scan.next();
            String url = base + "/calls?" + request.query();
            pages.add(url);
            JsonNode page;
            try (InputStream in = get(url)) {
                page = JSON.readTree(in);
            }
            JsonNode list = page.get("calls");
            CallsWindowScan.Step step = scan.accept(list.size(), Pagination.of(page));
            if (step == CallsWindowScan.Step.SPLIT) {
                continue;
            }
            for (JsonNode call : list) {
                String id = call.get("id").asText();
                if (seen.add(id)) {
                    calls++;
                    if (DetailsBacklog.isReady(call)) {
                        ids.add(id);
                    }
                }
            }
        }
        return new Plan(pages, ids, calls);
    }

    /** Seconds to fetch /users and every /calls page of the plan, one after another. */
    private double fetchList(Plan plan) throws IOException {
        long t0 = System.nanoTime();
        drain(base + "/users");
        for (String url : plan.pages) {
            drain(url);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Seconds to fetch every planned /call-details with {@code threads} workers taking ids from one queue. */
    private double fetchDetails(Plan plan, int threads) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < plan.detailIds.size(); i = next.getAndIncrement()) {
                    bytes.addAndGet(drain(base + "/call-details?id=" + URLEncoder.encode(plan.detailIds.get(i), StandardCharsets.UTF_8)));
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        return s;
    }

    private InputStream get(String url) throws IOException {
        byte[] body = http.execute(request(url), response -> {
            if (response.getCode() != 200) {
                throw new IOException("HTTP " + response.getCode() + " for " + url);
            }
            return response.getEntity().getContent().readAllBytes();
        });
        return new java.io.ByteArrayInputStream(body);
    }

    /** Fetches a URL and reads the body to its end, discarding it; returns its length. */
    private long drain(String url) throws IOException {
        return http.execute(request(url), response -> {
            if (response.getCode() != 200) {
                throw new IOException("HTTP " + response.getCode() + " for " + url);
            }
            long n = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = response.getEntity().getContent()) {
                for (int r = in.read(buffer); r >= 0; r = in.read(buffer)) {
                    n += r;
                }
            }
            return n;
        });
    }

    private HttpGet request(String url) {
        HttpGet get = new HttpGet(url);
        get.setHeader("X-Api-Key", key);
        get.setHeader("X-Api-Password", password);
        return get;
    }
}
