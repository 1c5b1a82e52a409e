package dev.clarisync.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which environment variables are ours, checked as {@link KnownKeys} checks keys: on Kubernetes most settings arrive as
 * environment variables, so a typo there ({@code CLARI_API_RATE_LIMT}) must stop the run as it does on the command line,
 * not be silently ignored. A variable with one of our {@link #PREFIXES} must be the variable of a known
 * key ({@link EnvNames}), of a per-workspace key ({@code CLARI_WORKSPACE_<NAME>_<KEY>}, for any workspace name: one
 * Secret may hold the credentials of workspaces another deployment syncs), or one of the exceptions below, which others
 * legitimately set in our namespace:
 * <ul>
 *   <li>{@code CLARI_CONFIG}: names the configuration file ({@link SettingsSource});</li>
 *   <li>a secret's {@code _FILE} variant ({@code CLARI_API_PASSWORD_FILE}, {@link SecretsPolicy});</li>
 *   <li>Kubernetes' service links: for every Service in the namespace, a pod gets {@code <SERVICE>_SERVICE_HOST},
 *       {@code <SERVICE>_SERVICE_PORT[_<PORT NAME>]}, {@code <SERVICE>_PORT} and {@code <SERVICE>_PORT_<n>_<PROTO>[_...]};
 *       our own Service {@code clari-copilot-connector} puts {@code CLARI_COPILOT_CONNECTOR_*} in every pod. They are
 *       recognised as a family, only when {@code <SERVICE>_SERVICE_HOST} is set too;</li>
 *   <li>{@code WAREHOUSE_TEST_PG_URL}, {@code _USER}, {@code _PASSWORD}: the test suite's PostgreSQL server, which a
 *       developer's shell may export.</li>
 * </ul>
 */
public final class KnownEnvironment {
    /** Prefixes that mark an environment variable as ours. */
    public static final List<String> PREFIXES = List.of("CLARI_", "WAREHOUSE_", "REPORT_", "MANAGEMENT_", "ROUTES_");
    private static final String WORKSPACE_PREFIX = "CLARI_WORKSPACE_";
    /** A workspace name as it appears in a variable: {@code clari.workspaces}' {@code [a-z][a-z0-9_]*}, upper-case. */
    private static final Pattern WORKSPACE_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Set<String> EXCEPTIONS = Set.of("CLARI_CONFIG", "WAREHOUSE_TEST_PG_URL", "WAREHOUSE_TEST_PG_USER",
            "WAREHOUSE_TEST_PG_PASSWORD");
    private static final String SERVICE_HOST = "_SERVICE_HOST";
    private static final Pattern SERVICE_LINK_TAIL = Pattern.compile("_SERVICE_HOST|_SERVICE_PORT(_[A-Z0-9_]+)?|_PORT(_[A-Z0-9_]+)?");

    private KnownEnvironment() {
    }

    /**
     * Throws for the first unknown variable of ours in {@code environment}:
     * {@code unknown environment variable V (did you mean W?)}. Only names are read, never values.
     *
     * @param packaged   the keys of the packaged application.properties
     * @param workspaces the names in {@code clari.workspaces}, whose variables are offered as suggestions
     */
    public static void check(Map<String, String> environment, Set<String> packaged, Collection<String> workspaces) {
        Set<String> known = new TreeSet<>();
        packaged.forEach(k -> known.add(EnvNames.of(k)));
        Workspaces.LIST_KEYS.forEach(k -> known.add(EnvNames.of(k)));
        for (String name : new TreeSet<>(environment.keySet())) {
            if (isOurs(name) && !known.contains(name) && !isWorkspaceVariable(name) && !isException(name, environment)) {
                String suggestion = KnownKeys.nearest(name, candidates(name, known, workspaces));
                throw SettingsException.plain(name, "unknown environment variable " + name + (suggestion == null
                        ? " (no such setting: each key of application.properties has one, upper-case with . and - as _)"
                        : " (did you mean " + suggestion + "?)"));
            }
        }
    }

    static boolean isOurs(String name) {
        return PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** {@code CLARI_WORKSPACE_<NAME>_<KEY>} with a per-workspace key, for a name that {@code clari.workspaces} could list. */
    private static boolean isWorkspaceVariable(String name) {
        if (!name.startsWith(WORKSPACE_PREFIX)) {
            return false;
        }
        String rest = name.substring(WORKSPACE_PREFIX.length());
        for (String suffix : Workspaces.suffixes()) {
            String tail = "_" + EnvNames.of(suffix);
            if (rest.endsWith(tail) && WORKSPACE_NAME.matcher(rest.substring(0, rest.length() - tail.length())).matches()) {
                return true;
            }
        }
        return false;
    }

    private static boolean isException(String name, Map<String, String> environment) {
        return EXCEPTIONS.contains(name) || SecretsPolicy.isSecretFileVariable(name) || isServiceLink(name, environment);
    }

    /** One of the variables Kubernetes sets for a Service, whose {@code <SERVICE>_SERVICE_HOST} is set too. */
    private static boolean isServiceLink(String name, Map<String, String> environment) {
        for (String other : environment.keySet()) {
            if (other.endsWith(SERVICE_HOST)) {
                String service = other.substring(0, other.length() - SERVICE_HOST.length());
                if (name.startsWith(service) && SERVICE_LINK_TAIL.matcher(name.substring(service.length())).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * What {@code name} may have meant: every known variable, and the per-workspace variables of the listed workspaces
     * and of each workspace name {@code name} may start with (the name's own spelling, split at each underscore).
     */
    private static List<String> candidates(String name, Set<String> known, Collection<String> workspaces) {
        List<String> out = new ArrayList<>(known);
        List<String> names = new ArrayList<>();
        workspaces.forEach(w -> names.add(EnvNames.of(w)));
        if (name.startsWith(WORKSPACE_PREFIX)) {
            String rest = name.substring(WORKSPACE_PREFIX.length());
            for (int i = rest.indexOf('_'); i > 0; i = rest.indexOf('_', i + 1)) {
                names.add(rest.substring(0, i));
            }
        }
        for (String workspace : names) {
            for (String suffix : Workspaces.suffixes()) {
                out.add(WORKSPACE_PREFIX + workspace + "_" + EnvNames.of(suffix));
            }
        }
        return out;
    }
}
