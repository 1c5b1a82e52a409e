package dev.clarisync.config;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which configuration keys exist. A key under one of our prefixes ({@code clari.}, {@code warehouse.},
 * {@code report.}, {@code management.}, {@code routes.}, {@code demo.}) that is not known stops the run with
 * one line naming it and the closest known key, so a typo ({@code clari.sync.lookbak}) is never silently
 * ignored. Keys of other frameworks ({@code camel.*}, ...) pass through unchecked.
 *
 * <p>The known keys are every key of the packaged {@code application.properties} (so a key added there is known
 * at once) plus the per-workspace keys {@code clari.workspace.<name>.<setting>} ({@link Workspaces}), which have
 * no single default line.
 */
public final class KnownKeys {
    /** Prefixes that mark a key as ours. */
    public static final List<String> OUR_PREFIXES = List.of("clari.", "warehouse.", "report.", "management.", "routes.", "demo.");
    /**
     * Keys the routes read that only the start-up sets ({@code ConnectorApplication}, or Camel K's camel.properties
     * trait): known among Camel properties, never in application.properties.
     */
    public static final String SCHEDULED = "clari.internal.scheduled";
    public static final String SYNC_ON_START = "clari.internal.sync-on-start";
    private static final Pattern WORKSPACE = Pattern.compile("clari\\.workspace\\.([a-z][a-z0-9_]*)\\.(.+)");

    private KnownKeys() {
    }

    /** Whether {@code key} looks like one of ours (and so must be known). */
    public static boolean isOurs(String key) {
        return OUR_PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** Whether {@code key} is a known key, given the packaged keys. */
    public static boolean isKnown(String key, Set<String> packaged) {
        return packaged.contains(key) || Workspaces.isWorkspaceKey(key);
    }

    /**
     * {@link #check} for the keys of Camel properties (Camel K's camel.properties trait, its mounted configuration), where
     * the start-up's route keys ({@link #SCHEDULED}, {@link #SYNC_ON_START}) are known too.
     */
    public static void checkCamelProperties(Collection<String> keys, Set<String> packaged) {
        Set<String> known = new TreeSet<>(packaged);
        known.add(SCHEDULED);
        known.add(SYNC_ON_START);
        check(keys, known);
    }

    /**
     * Throws for the first unknown key of ours among {@code keys}: {@code unknown key K (did you mean S?)}.
     *
     * @param packaged the keys of the packaged application.properties
     */
    public static void check(Collection<String> keys, Set<String> packaged) {
        for (String key : new TreeSet<>(keys)) {
            if (isOurs(key) && !isKnown(key, packaged)) {
                String suggestion = closest(key, packaged);
                throw SettingsException.plain(key, "unknown key " + key
                        + (suggestion == null ? " (no such setting: the keys are listed in application.properties)"
                        : " (did you mean " + suggestion + "?)"));
            }
        }
    }

    /** The known key nearest to {@code key} by edit distance, or null if none is near enough to be a typo. */
    static String closest(String key, Set<String> packaged) {
        Set<String> candidates = new TreeSet<>(packaged);
        candidates.addAll(Workspaces.LIST_KEYS);
        Matcher m = WORKSPACE.matcher(key);
        if (m.matches()) {
            Workspaces.OVERRIDES.keySet().forEach(k -> candidates.add(Workspaces.key(m.group(1), k)));
        }
        return nearest(key, candidates);
    }

    /** The candidate nearest to {@code name} by edit distance, or null if none is near enough to be a typo of it. */
    static String nearest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : new TreeSet<>(candidates)) {
            int d = distance(name, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        // a typo changes a few characters; beyond that the suggestion would be a guess
        return bestDistance <= Math.max(2, name.length() / 4) ? best : null;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
