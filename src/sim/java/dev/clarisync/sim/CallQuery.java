package dev.clarisync.sim;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * A validated {@code GET /calls} request. Bounds are strict and in epoch ms; absent filters are
 * open. A multi-valued filter whose values are all unknown matches nothing (it is still a filter).
 */
final class CallQuery {
    /** The orders the API offers; there is no order by last_modified_time. */
    enum Sort { TIME_DESC, TIME_ASC, PROCESSED_DESC, PROCESSED_ASC }

    int skip;
    int limit = 25;
    long modifiedGt = Long.MIN_VALUE;
    long modifiedLt = Long.MAX_VALUE;
    long timeGt = Long.MIN_VALUE;
    long timeLt = Long.MAX_VALUE;
    EnumSet<CallStatus> statuses;
    EnumSet<CallType> types;
    boolean[] userMask;
    Sort sort = Sort.TIME_DESC;
    boolean includePrivate;
    boolean includePagination = true;

    /** Whether a call with these keys is in the result; see {@link #matchesUsers} for filterUser. */
    boolean matches(long time, long lastModified, CallStatus status, CallType type, boolean deleted,
                    boolean privateCall) {
        if (deleted || (privateCall && !includePrivate)) {
            return false;
        }
        if (lastModified <= modifiedGt || lastModified >= modifiedLt || time <= timeGt || time >= timeLt) {
            return false;
        }
        return (statuses == null || statuses.contains(status)) && (types == null || types.contains(type));
    }

    boolean filtersUsers() {
        return userMask != null;
    }

    boolean matchesUsers(int[] callUsers) {
        if (userMask == null) {
            return true;
        }
        for (int u : callUsers) {
            if (userMask[u]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Validates the query parameters the way the API does.
     *
     * @throws ApiException 400 naming the offending parameter
     */
    static CallQuery parse(Map<String, List<String>> params, SimulatorConfig config, UserDirectory users) {
        CallQuery q = new CallQuery();
        q.skip = intParam(params, "skip", 0);
        if (q.skip < 0 || q.skip > config.maxSkip()) {
            throw ApiException.badRequest("Invalid value for skip: must be between 0 and " + config.maxSkip());
        }
        q.limit = intParam(params, "limit", 25);
        if (q.limit < 1 || q.limit > config.maxLimit()) {
            throw ApiException.badRequest("Invalid value for limit: must be between 1 and " + config.maxLimit());
        }
        Instant v;
        if ((v = instant(params, "filterModifiedGt")) != null) {
            q.modifiedGt = Times.floorMillis(v);
        }
        if ((v = instant(params, "filterModifiedLt")) != null) {
            q.modifiedLt = Times.ceilMillis(v);
        }
        if ((v = instant(params, "filterTimeGt")) != null) {
            q.timeGt = Times.floorMillis(v);
        }
        if ((v = instant(params, "filterTimeLt")) != null) {
            q.timeLt = Times.ceilMillis(v);
        }
        List<String> statuses = params.get("filterStatus");
        if (statuses != null) {
            q.statuses = EnumSet.noneOf(CallStatus.class);
            for (String s : statuses) {
                for (CallStatus cs : CallStatus.values()) {
                    if (cs.name().equals(s)) {
                        q.statuses.add(cs);
                    }
                }
            }
        }
        List<String> types = params.get("filterType");
        if (types != null) {
            q.types = EnumSet.noneOf(CallType.class);
            for (String s : types) {
                for (CallType ct : CallType.values()) {
                    if (ct.name().equals(s)) {
                        q.types.add(ct);
                    }
                }
            }
        }
        List<String> userFilter = params.get("filterUser");
        if (userFilter != null) {
            q.userMask = new boolean[users.all().size()];
            for (String s : userFilter) {
                int i = users.indexOf(s);
                if (i >= 0) {
                    q.userMask[i] = true;
                }
            }
        }
        String sortTime = direction(params, "sortTime");
        String sortProcessed = direction(params, "sortProcessed");
        if (sortTime != null) {
            q.sort = sortTime.equals("asc") ? Sort.TIME_ASC : Sort.TIME_DESC;
        } else if (sortProcessed != null) {
            q.sort = sortProcessed.equals("asc") ? Sort.PROCESSED_ASC : Sort.PROCESSED_DESC;
        }
        q.includePrivate = bool(params, "includePrivate", false);
        q.includePagination = bool(params, "includePagination", true);
        return q;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static int intParam(Map<String, List<String>> params, String name, int def) {
        String s = first(params, name);
        if (s == null || s.isEmpty()) {
            return def;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Invalid value for " + name + ": must be an integer");
        }
    }

    private static Instant instant(Map<String, List<String>> params, String name) {
        String s = first(params, name);
        if (s == null) {
            return null;
        }
        try {
            return Times.parse(s);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("Invalid value for " + name + ": must be an ISO-8601 date-time");
        }
    }

    private static String direction(Map<String, List<String>> params, String name) {
        String s = first(params, name);
        if (s == null) {
            return null;
        }
        if (!s.equals("asc") && !s.equals("desc")) {
            throw ApiException.badRequest("Invalid value for " + name + ": must be asc or desc");
        }
        return s;
    }

    private static boolean bool(Map<String, List<String>> params, String name, boolean def) {
        String s = first(params, name);
        if (s == null) {
            return def;
        }
        if (!s.equals("true") && !s.equals("false")) {
            throw ApiException.badRequest("Invalid value for " + name + ": must be true or false");
        }
        return s.equals("true");
    }
}
