package dev.clarisync.sim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One injected misbehaviour, queued with {@link FaultPlan#enqueue(String, Fault)}. Immutable.
 *
 * <ul>
 *   <li>{@link Kind#STATUS}: answer with this status, body and headers instead of the real response
 *       (no authentication, rate limit or quota is applied: it is the gateway answering).</li>
 *   <li>{@link Kind#TRUNCATED}: the real response (same status), its body cut to the first half, with a
 *       matching Content-Length, so the client gets a clean HTTP response with broken JSON.</li>
 *   <li>{@link Kind#MALFORMED}: 200 with the body <code>{"calls": [ {oops</code>.</li>
 *   <li>{@link Kind#RESET}: the connection is closed without any response bytes.</li>
 *   <li>{@link Kind#DELAY}: wait, then answer normally.</li>
 * </ul>
 */
public final class Fault {
    /** What the fault does. */
    public enum Kind { STATUS, TRUNCATED, MALFORMED, RESET, DELAY }

    static final String MALFORMED_BODY = "{\"calls\": [ {oops";
    private static final String GATEWAY_TIMEOUT_HTML = "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n"
            + "<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n";
    private static final String BAD_GATEWAY_HTML = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
            + "<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

    private final Kind kind;
    private final int status;
    private final String body;
    private final Map<String, String> headers;
    private final long delayMillis;

    private Fault(Kind kind, int status, String body, Map<String, String> headers, long delayMillis) {
        this.kind = kind;
        this.status = status;
        this.body = body;
        this.headers = headers;
        this.delayMillis = delayMillis;
    }

    /** Answer {@code code} with {@code body}; served as text/html when the body starts with {@code <}, else JSON. */
    public static Fault status(int code, String body) {
        return status(code, body, Map.of());
    }

    /** Like {@link #status(int, String)} with extra response headers (e.g. Retry-After). */
    public static Fault status(int code, String body, Map<String, String> headers) {
        if (code < 100 || code > 599) {
            throw new IllegalArgumentException("HTTP status out of range: " + code);
        }
        return new Fault(Kind.STATUS, code, body == null ? "" : body,
                Collections.unmodifiableMap(new LinkedHashMap<>(headers)), 0);
    }

    /** 429 {@code {"message":"Too Many Requests"}}, no Retry-After (like the real gateway). */
    public static Fault tooManyRequests() {
        return status(429, Json.message("Too Many Requests"));
    }

    /** 429 {@code {"message":"Too Many Requests"}} with a Retry-After header. */
    public static Fault tooManyRequests(int retryAfterSeconds) {
        return status(429, Json.message("Too Many Requests"), Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    /** 429 {@code {"message":"Limit Exceeded"}}: the weekly quota. */
    public static Fault limitExceeded() {
        return status(429, Json.message("Limit Exceeded"));
    }

    /** 500 {@code {"errorMessage":"Internal server error"}}. */
    public static Fault internalServerError() {
        return status(500, Json.error("Internal server error"));
    }

    /** 502 with an HTML body, as a load balancer sends it. */
    public static Fault badGateway() {
        return status(502, BAD_GATEWAY_HTML);
    }

    /** 503 {@code {"message":"Service Unavailable"}}. */
    public static Fault serviceUnavailable() {
        return status(503, Json.message("Service Unavailable"));
    }

    /** 504 with an HTML body, as a gateway timing out a slow call-details request sends it. */
    public static Fault gatewayTimeout() {
        return status(504, GATEWAY_TIMEOUT_HTML);
    }

    /** 404 {@code {"errorMessage":"Call not found"}}. */
    public static Fault notFound() {
        return status(404, Json.error("Call not found"));
    }

    /** 401 {@code {"errorMessage":"Invalid credentials"}}. */
    public static Fault unauthorized() {
        return status(401, Json.error("Invalid credentials"));
    }

    /** 403 {@code {"message":"Forbidden"}}. */
    public static Fault forbidden() {
        return status(403, Json.message("Forbidden"));
    }

    /** 200 with the real body cut in half. */
    public static Fault truncated() {
        return new Fault(Kind.TRUNCATED, 200, null, Map.of(), 0);
    }

    /** 200 with the body <code>{"calls": [ {oops</code>. */
    public static Fault malformed() {
        return new Fault(Kind.MALFORMED, 200, MALFORMED_BODY, Map.of(), 0);
    }

    /** Close the connection without answering. */
    public static Fault resetConnection() {
        return new Fault(Kind.RESET, 0, null, Map.of(), 0);
    }

    /** Wait {@code millis}, then answer normally. */
    public static Fault delay(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("millis must be >= 0");
        }
        return new Fault(Kind.DELAY, 0, null, Map.of(), millis);
    }

    /** A random 5xx among 500, 502, 503 and 504 with their usual bodies. */
    static Fault serverError(int pick) {
        return switch (Math.floorMod(pick, 4)) {
            case 0 -> internalServerError();
            case 1 -> badGateway();
            case 2 -> serviceUnavailable();
            default -> gatewayTimeout();
        };
    }

    /** What this fault does. */
    public Kind kind() {
        return kind;
    }

    /** The status a STATUS or MALFORMED fault answers with; 0 for the others. */
    public int statusCode() {
        return kind == Kind.STATUS || kind == Kind.MALFORMED ? status : 0;
    }

    /** The body of a STATUS or MALFORMED fault, else null. */
    public String body() {
        return body;
    }

    /** Extra response headers of a STATUS fault (empty otherwise). */
    public Map<String, String> headers() {
        return headers;
    }

    /** The wait of a DELAY fault, 0 otherwise. */
    public long delayMillis() {
        return delayMillis;
    }

    String contentType() {
        return body != null && body.startsWith("<") ? "text/html; charset=utf-8" : "application/json; charset=utf-8";
    }

    @Override
    public String toString() {
        return switch (kind) {
            case STATUS -> "Fault[" + status + "]";
            case DELAY -> "Fault[delay " + delayMillis + "ms]";
            default -> "Fault[" + kind + "]";
        };
    }
}
