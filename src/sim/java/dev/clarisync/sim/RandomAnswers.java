package dev.clarisync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.schema.DeclaredSchema;
import dev.clarisync.schema.SourcePath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Answers with spec-valid random data, like an OpenAPI mock server: records generated from the declared schema
 * (which is derived from the vendor's OpenAPI description) with random values of each field's declared type,
 * optional fields omitted or null, arrays empty or not, and random pagination values that are valid integers and
 * booleans but need not agree with each other or with the request. {@code /call-details} answers are sometimes about
 * another call than the one asked for. Records every request it sees whose {@code skip}/{@code limit} is outside the
 * spec's bounds, and which call each details answer was about. Deterministic for one seed and one request order.
 */
public final class RandomAnswers implements AnswerShaper {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] WORDS = {"alpha", "Demo call", "", "ÆØÅ ✓", "a'b\"c", "x".repeat(300), "2025-06-10", "null", "42"};
    private static final long[] NASTY_LONGS = {-1, 0, 1, 10_001, 20_000, Integer.MAX_VALUE, Long.MAX_VALUE, -1_000_000};

    private final DeclaredSchema schema;
    private final Random random;
    private final Instant start;
    private final Instant end;
    private final List<String> outOfBounds = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, List<String>> detailsAnsweredAbout = Collections.synchronizedMap(new LinkedHashMap<>());

    public RandomAnswers(long seed, Instant start, Instant end) {
        this.schema = DeclaredSchema.bundled();
        this.random = new Random(seed);
        this.start = start;
        this.end = end;
    }

    /** Requests seen with a {@code skip} outside 0..10000 or a {@code limit} outside 1..100 (should stay empty). */
    public List<String> outOfBoundsRequests() {
        synchronized (outOfBounds) {
            return List.copyOf(outOfBounds);
        }
    }

    /** Asked call id → the {@code call.id} of each details answer given for it. */
    public Map<String, List<String>> detailsAnsweredAbout() {
        synchronized (detailsAnsweredAbout) {
            return Map.copyOf(detailsAnsweredAbout);
        }
    }

    @Override
    public int status(String path, Map<String, List<String>> params, int status) {
        if (path.equals("/calls")) {
            checkBounds(params);
        }
        // details of the random calls: the simulator's own store does not know them
        return path.equals("/call-details") && status == 404 ? 200 : status;
    }

    @Override
    public synchronized JsonNode shape(String path, Map<String, List<String>> params, int status, JsonNode answer) {
        if (status != 200) {
            return answer;
        }
        return switch (path) {
            case "/calls" -> callsPage(params);
            case "/call-details" -> details(params);
            case "/users" -> list("users", "users", 1 + random.nextInt(5));
            default -> answer;
        };
    }

    private void checkBounds(Map<String, List<String>> params) {
        for (String[] bound : new String[][] {{"skip", "0", "10000"}, {"limit", "1", "100"}}) {
            List<String> values = params.get(bound[0]);
            if (values == null) {
                continue;
            }
            for (String v : values) {
                long n;
                try {
                    n = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    outOfBounds.add(bound[0] + "=" + v);
                    continue;
                }
                if (n < Long.parseLong(bound[1]) || n > Long.parseLong(bound[2])) {
                    outOfBounds.add(bound[0] + "=" + v);
                }
            }
        }
    }

    private JsonNode callsPage(Map<String, List<String>> params) {
        int skip = intParam(params, "skip", 0);
        int limit = intParam(params, "limit", 25);
        int n = skip >= 300 ? 0 : random.nextInt(Math.max(1, limit) + 1);
        ObjectNode root = list("calls", "calls", n);
        switch (random.nextInt(4)) {
            case 0, 1 -> { // consistent, as the real API answers
                long matched = skip + n + (n > 0 && random.nextBoolean() ? random.nextInt(3 * Math.max(1, limit)) : 0);
                ObjectNode p = root.putObject("pagination");
                p.put("matched", matched);
                p.put("hasMore", matched > skip + n);
                if (matched > skip + n) {
                    p.put("nextPageSkip", skip + n);
                }
            }
            case 2 -> { // valid types, values that need not agree
                ObjectNode p = root.putObject("pagination");
                if (random.nextInt(4) > 0) {
                    p.put("matched", random.nextBoolean() ? NASTY_LONGS[random.nextInt(NASTY_LONGS.length)] : skip + n);
                }
                if (random.nextInt(4) > 0) {
                    p.put("hasMore", random.nextBoolean());
                }
                if (random.nextInt(4) > 0) {
                    long[] next = {-5, 0, skip, skip + n, skip + n + 1, 10_001, Integer.MAX_VALUE, Integer.MIN_VALUE};
                    p.put("nextPageSkip", (int) next[random.nextInt(next.length)]);
                }
            }
            default -> { } // no pagination object: a short page ends the list
        }
        return root;
    }

    private JsonNode details(Map<String, List<String>> params) {
        List<String> ids = params.get("id");
        String asked = ids == null || ids.isEmpty() ? "" : ids.get(0);
        String about = random.nextInt(4) == 0 ? UUID.randomUUID().toString() : asked;
        detailsAnsweredAbout.computeIfAbsent(asked, k -> Collections.synchronizedList(new ArrayList<>())).add(about);
        ObjectNode root = F.objectNode();
        root.set("call", record("call_details", about));
        return root;
    }

    private ObjectNode list(String property, String stream, int n) {
        ObjectNode root = F.objectNode();
        ArrayNode list = root.putArray(property);
        for (int i = 0; i < n; i++) {
            list.add(record(stream, new UUID(random.nextLong(), random.nextLong()).toString()));
        }
        return root;
    }

    private ObjectNode record(String stream, String id) {
        ObjectNode o = F.objectNode();
        o.put("id", id);
        fill(o, schema.table(stream));
        if (stream.startsWith("call")) {
            CallStatus[] statuses = CallStatus.values();
            o.put("status", random.nextBoolean() ? "POST_PROCESSING_DONE" : statuses[random.nextInt(statuses.length)].name());
        }
        return o;
    }

    private void fill(ObjectNode target, DeclaredSchema.Table table) {
        for (DeclaredSchema.Column c : table.columns()) {
            if (c.connector()) {
                continue; // added by the connector, never sent by the API
            }
            int dice = random.nextInt(10);
            if (dice < 3) {
                continue; // optional: omitted
            }
            List<String> keys = SourcePath.keys(c.pointer());
            ObjectNode parent = parent(target, keys);
            String key = keys.get(keys.size() - 1);
            if (dice == 3) {
                parent.putNull(key);
            } else {
                parent.set(key, value(c));
            }
        }
        for (DeclaredSchema.Table child : schema.tables(table.stream())) {
            if (!table.path().equals(child.parentPath()) || random.nextInt(4) == 0) {
                continue;
            }
            List<String> keys = SourcePath.keys(child.arrayPointer());
            ArrayNode array = parent(target, keys).putArray(keys.get(keys.size() - 1));
            int n = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                fill(array.addObject(), child);
            }
        }
    }

    private static ObjectNode parent(ObjectNode root, List<String> keys) {
        ObjectNode o = root;
        for (int i = 0; i < keys.size() - 1; i++) {
            JsonNode next = o.get(keys.get(i));
            o = next instanceof ObjectNode obj ? obj : o.putObject(keys.get(i));
        }
        return o;
    }

    private JsonNode value(DeclaredSchema.Column c) {
        return switch (c.type()) {
            case BIGINT -> F.numberNode(random.nextInt(3) == 0 ? NASTY_LONGS[random.nextInt(NASTY_LONGS.length)] : random.nextInt(1000));
            case DOUBLE -> random.nextBoolean() ? F.numberNode(random.nextInt(2)) : F.numberNode(random.nextDouble() * 1000);
            case BOOLEAN -> F.booleanNode(random.nextBoolean());
            case TIMESTAMP -> F.textNode(instant().toString());
            case VARCHAR -> F.textNode(WORDS[random.nextInt(WORDS.length)]);
            case JSON -> {
                ArrayNode a = F.arrayNode();
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    a.add(c.field().contains("timestamp") ? instant().toString() : WORDS[random.nextInt(WORDS.length)]);
                }
                yield a;
            }
        };
    }

    private Instant instant() {
        long span = Math.max(1, end.toEpochMilli() - start.toEpochMilli());
        return Instant.ofEpochMilli(start.toEpochMilli() + (long) (random.nextDouble() * span));
    }

    private static int intParam(Map<String, List<String>> params, String name, int dflt) {
        List<String> v = params.get(name);
        try {
            return v == null || v.isEmpty() ? dflt : Integer.parseInt(v.get(0));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
