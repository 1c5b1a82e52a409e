package dev.clarisync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clarisync.api.CallsWindowScan;
import dev.clarisync.api.PageRequest;
import dev.clarisync.api.Pagination;
import dev.clarisync.sync.DetailsBacklog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The write path's floor: DuckDB's own ingestion of the JSON a sync receives. A download pass (not measured)
 * pages {@code /calls} with the connector's {@link CallsWindowScan} and fetches {@code /call-details} of every
 * finished call, writing both as newline-delimited JSON. The measured pass then has DuckDB read those files
 * with {@code read_json} into the connector's main tables — {@code calls}, {@code calls__users},
 * {@code call_details}, {@code call_details__transcript}, {@code call_details__summary__key_action_items} —
 * and reports the process's CPU time for it (all threads, DuckDB's native ones included, from
 * {@code /proc/self/stat}) and its wall time.
 *
 * <pre>
 * java -cp clari-copilot-connector.jar dev.clarisync.bench.DuckDbIngest --base-url=http://127.0.0.1:P --dir=/tmp/x
 * </pre>
 * Prints {@code ingest calls=.. details=.. rows=.. seconds=.. cpu_seconds=..}.
 */
public final class DuckDbIngest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DuckDbIngest() {
    }

    public static void main(String[] args) throws Exception {
        String base = null;
        Path dir = null;
        for (String arg : args) {
            String v = arg.substring(arg.indexOf('=') + 1);
            if (arg.startsWith("--base-url=")) {
                base = v;
            } else if (arg.startsWith("--dir=")) {
                dir = Path.of(v);
            } else {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        if (base == null || dir == null) {
            throw new IllegalArgumentException("--base-url and --dir are required");
        }
        Files.createDirectories(dir);
        String key = System.getenv().getOrDefault("CLARI_API_KEY", "sim-key");
        String password = System.getenv().getOrDefault("CLARI_API_PASSWORD", "sim-password");
        HttpClient http = HttpClient.newHttpClient();
        Path calls = dir.resolve("calls.ndjson");
        Path details = dir.resolve("details.ndjson");
        long[] counts = download(http, base, key, password, calls, details);

        Path db = dir.resolve("ingest.duckdb");
        Files.deleteIfExists(db);
        long cpu0 = cpuTicks();
        long t0 = System.nanoTime();
        long rows = 0;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement()) {
            String callsJson = "read_json('" + calls + "', format = 'newline_delimited')";
            String detailsJson = "read_json('" + details + "', format = 'newline_delimited')";
            s.execute("CREATE TABLE calls AS SELECT * EXCLUDE (users) FROM " + callsJson);
            s.execute("CREATE TABLE calls__users AS SELECT id AS _parent_id, UNNEST(users, recursive := true) FROM " + callsJson);
            s.execute("CREATE TABLE call_details AS SELECT * EXCLUDE (transcript) FROM " + detailsJson);
            s.execute("CREATE TABLE call_details__transcript AS SELECT id AS _parent_id, UNNEST(transcript, recursive := true) FROM "
                    + detailsJson);
            s.execute("CREATE TABLE call_details__summary__key_action_items AS SELECT id AS _parent_id, "
                    + "UNNEST(summary.key_action_items, recursive := true) FROM " + detailsJson);
            for (String t : List.of("calls", "calls__users", "call_details", "call_details__transcript",
                    "call_details__summary__key_action_items")) {
                rows += count(s, t);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (cpuTicks() - cpu0) / 100.0;
        System.out.printf(Locale.ROOT, "ingest calls=%d details=%d rows=%d seconds=%.3f cpu_seconds=%.2f%n",
                counts[0], counts[1], rows, seconds, cpuSeconds);
    }

    private static long count(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Pages every call and fetches every finished call's details; returns {calls, details}. */
    private static long[] download(HttpClient http, String base, String key, String password, Path callsFile, Path detailsFile)
            throws IOException, InterruptedException {
        Instant from = LocalDate.parse("2015-01-01").atStartOfDay(ZoneOffset.UTC).toInstant();
        CallsWindowScan scan = new CallsWindowScan(from, Instant.now(), 100, 10_000, 5);
        Set<String> seen = new HashSet<>();
        long calls = 0;
        long details = 0;
        try (BufferedWriter c = Files.newBufferedWriter(callsFile); BufferedWriter d = Files.newBufferedWriter(detailsFile)) {
            while (scan.hasNext()) {
                PageRequest request = scan.next();
                JsonNode page = JSON.readTree(get(http, base + "/calls?" + request.query(), key, password));
                JsonNode list = page.get("calls");
                if (scan.accept(list.size(), Pagination.of(page)) == CallsWindowScan.Step.SPLIT) {
                    continue;
                }
                for (JsonNode call : list) {
                    String id = call.get("id").asText();
                    if (!seen.add(id)) {
                        continue;
                    }
                    calls++;
                    c.write(JSON.writeValueAsString(call));
                    c.newLine();
                    if (DetailsBacklog.isReady(call)) {
                        String body = get(http, base + "/call-details?id=" + URLEncoder.encode(id, StandardCharsets.UTF_8), key, password);
                        d.write(JSON.writeValueAsString(JSON.readTree(body).get("call")));
                        d.newLine();
                        details++;
                    }
                }
            }
        }
        return new long[] {calls, details};
    }

    private static String get(HttpClient http, String url, String key, String password) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("X-Api-Key", key)
                .header("X-Api-Password", password).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " for " + url);
        }
        return r.body();
    }

    /** utime + stime of this process, all threads, in clock ticks (100 a second on Linux). */
    static long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
