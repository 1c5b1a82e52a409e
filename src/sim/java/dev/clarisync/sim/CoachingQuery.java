package dev.clarisync.sim;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validated {@code GET /scorecard} or {@code GET /v2/topics} request. Validation is strict, as the spec says
 * ("if invalid value is passed, results in bad request error"): a malformed or out-of-range skip/limit, a date-time
 * without an offset, an unencoded {@code +} (it arrives as a space), an empty or repeated single-value filter are
 * each a 400 naming the parameter. Bounds are strict and in epoch ms; absent filters are open.
 */
final class CoachingQuery {
    /** {@code /scorecard}'s page size when none is given (the spec's default; {@code /calls} has 25). */
    static final int DEFAULT_LIMIT = 50;
    /** An ISO-8601 date-time with seconds and an offset: {@code Z}, {@code +00:00} or the spec's {@code +0000}. */
    private static final Pattern DATE_TIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})");

    int skip;
    int limit = DEFAULT_LIMIT;
    long timeGt = Long.MIN_VALUE;
    long timeLt = Long.MAX_VALUE;
    String rep;
    String scorer;

    /** Parses {@code /scorecard}'s parameters. */
    static CoachingQuery scorecards(Map<String, List<String>> params, SimulatorConfig config) {
        CoachingQuery q = new CoachingQuery();
        q.skip = integer(params, "skip", 0, 0, config.maxSkip());
        q.limit = integer(params, "limit", DEFAULT_LIMIT, 1, config.maxLimit());
        q.timeGt = lower(params, "filterTimeGt");
        q.timeLt = upper(params, "filterTimeLt");
        q.rep = single(params, "filterRepId");
        q.scorer = single(params, "filterScorerId");
        return q;
    }

    /** {@code filterModifiedGt} of {@code /v2/topics} in epoch ms, or {@link Long#MIN_VALUE}. */
    static long lower(Map<String, List<String>> params, String name) {
        Instant i = dateTime(params, name);
        return i == null ? Long.MIN_VALUE : Times.floorMillis(i);
    }

    /** An upper bound in epoch ms, or {@link Long#MAX_VALUE}. */
    static long upper(Map<String, List<String>> params, String name) {
        Instant i = dateTime(params, name);
        return i == null ? Long.MAX_VALUE : Times.ceilMillis(i);
    }

    private static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("Invalid value for " + name + ": a single value is expected");
        }
        if (values.get(0).isBlank()) {
            throw ApiException.badRequest("Invalid value for " + name + ": must not be empty");
        }
        return values.get(0);
    }

    private static int integer(Map<String, List<String>> params, String name, int def, int min, int max) {
        String s = single(params, name);
        if (s == null) {
            return def;
        }
        int v;
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Invalid value for " + name + ": must be an integer");
        }
        if (v < min || v > max) {
            throw ApiException.badRequest("Invalid value for " + name + ": must be between " + min + " and " + max);
        }
        return v;
    }

    private static Instant dateTime(Map<String, List<String>> params, String name) {
        String s = single(params, name);
        if (s == null) {
            return null;
        }
        if (!DATE_TIME.matcher(s).matches()) {
            throw ApiException.badRequest("Invalid value for " + name + ": must be an ISO-8601 date-time with an offset, "
                    + "e.g. 2020-01-01T00:00:00Z or 2020-01-01T00:00:00+0000 (URL-encoded)");
        }
        String iso = s.matches(".*[+-]\\d{4}$") ? s.substring(0, s.length() - 2) + ":" + s.substring(s.length() - 2) : s;
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("Invalid value for " + name + ": not a valid date-time");
        }
    }
}
