package dev.clarisync.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The Clari workspaces one process syncs. With no {@code clari.workspaces} there is one workspace,
 * {@value #DEFAULT}, configured by {@code clari.api.*} exactly as before. Otherwise each named workspace
 * gets its own {@link ConnectorSettings}: the shared settings with its own credentials, base URL, limits,
 * start date and warehouse schema ({@code clari.workspace.<name>.<key>}, env
 * {@code CLARI_WORKSPACE_<NAME>_<KEY>}).
 *
 * <p>A named workspace never falls back to {@code clari.api.key}/{@code password}: two workspaces
 * silently sharing one account's credentials would sync that account twice under two names.
 */
public final class Workspaces {
    /** The name of the one workspace when {@code clari.workspaces} is empty. */
    public static final String DEFAULT = "default";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern SHARD = Pattern.compile("(\\d+)/(\\d+)");

    /** Per-workspace key → the shared key it overrides. */
    static final Map<String, String> OVERRIDES = Map.of(
            "api-key", "clari.api.key",
            "api-password", "clari.api.password",
            "base-url", "clari.api.base-url",
            "rate-limit", "clari.api.rate-limit",
            "rate-limit-group", "clari.api.rate-limit-group",
            "weekly-quota", "clari.api.weekly-quota",
            "start-date", "clari.sync.start-date",
            "schema", "warehouse.schema");
    private static final List<String> SECRET_SUFFIXES = List.of("api-key", "api-password");

    private Workspaces() {
    }

    /** One workspace: its name and its complete, validated settings. */
    public record Workspace(String name, ConnectorSettings settings) {
        /** True for the single workspace of a configuration without {@code clari.workspaces}. */
        public boolean implicit() {
            return DEFAULT.equals(name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The suffixes of the per-workspace keys ({@code api-key}, {@code schema}, ...). */
    public static java.util.Set<String> suffixes() {
        return OVERRIDES.keySet();
    }

    /** The key of a per-workspace setting, e.g. {@code clari.workspace.acme.api-key}. */
    public static String key(String workspace, String suffix) {
        return "clari.workspace." + workspace + "." + suffix;
    }

    /**
     * Where an operator fixes rejected credentials: the shared {@code clari.api.key} / {@code clari.api.password} for the
     * single workspace ({@code workspace} null or {@link #DEFAULT}), else the workspace's own keys, which never fall back
     * to the shared ones; each with its environment variable.
     */
    public static String credentialsHint(String workspace) {
        String key = named(workspace) ? key(workspace, "api-key") : "clari.api.key";
        String password = named(workspace) ? key(workspace, "api-password") : "clari.api.password";
        return key + " and " + password + " (env " + EnvNames.of(key) + ", " + EnvNames.of(password) + ")";
    }

    /** Where an operator fixes a wrong base URL: the workspace's own key, whose default is the shared one. */
    public static String baseUrlHint(String workspace) {
        return named(workspace) ? key(workspace, "base-url") + " (or clari.api.base-url, its default)" : "clari.api.base-url";
    }

    private static boolean named(String workspace) {
        return workspace != null && !DEFAULT.equals(workspace);
    }

    /** The keys about all workspaces, which have no line in application.properties. */
    public static final List<String> LIST_KEYS = List.of("clari.workspaces", "clari.workspaces.parallelism", "clari.workspaces.shard");

    /** True for a key this class reads (the list, the parallelism, the shard, or a per-workspace key with a known suffix). */
    public static boolean isWorkspaceKey(String key) {
        if (LIST_KEYS.contains(key)) {
            return true;
        }
        if (!key.startsWith("clari.workspace.")) {
            return false;
        }
        String rest = key.substring("clari.workspace.".length());
        int dot = rest.indexOf('.');
        return dot > 0 && NAME.matcher(rest.substring(0, dot)).matches() && OVERRIDES.containsKey(rest.substring(dot + 1));
    }

    /**
     * The workspaces to sync, in the order of {@code clari.workspaces} (or the one implicit workspace), each validated.
     *
     * @param resolved the layered properties ({@link SettingsSource#resolve}), which hold the per-workspace keys from
     *     every layer (env {@code CLARI_WORKSPACE_<NAME>_<KEY>} and its {@code _FILE} variant included)
     */
    public static List<Workspace> from(Map<String, String> resolved, boolean needsCredentials) {
        List<String> names = names(resolved);
        if (names.isEmpty()) {
            return List.of(new Workspace(DEFAULT, ConnectorSettings.from(resolved, needsCredentials)));
        }
        List<Workspace> out = new ArrayList<>();
        for (String name : names) {
            out.add(new Workspace(name, settingsOf(name, resolved, needsCredentials)));
        }
        return List.copyOf(out);
    }

    /** The names listed in {@code clari.workspaces}, validated; empty when the key is unset or blank. */
    public static List<String> names(Map<String, String> resolved) {
        String list = resolved.getOrDefault("clari.workspaces", "").trim();
        if (list.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String raw : list.split(",")) {
            String name = raw.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!NAME.matcher(name).matches()) {
                throw new SettingsException("clari.workspaces", "'" + name + "' is not a workspace name (lower-case letters, digits and _, starting with a letter)");
            }
            if (name.equals(DEFAULT)) {
                throw new SettingsException("clari.workspaces", "'" + DEFAULT + "' is reserved for the single workspace of clari.api.*; choose another name");
            }
            if (names.contains(name)) {
                throw new SettingsException("clari.workspaces", "'" + name + "' is listed twice");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /** How many workspaces sync at the same time in one process. */
    public static int parallelism(Map<String, String> resolved) {
        String v = resolved.getOrDefault("clari.workspaces.parallelism", "4").trim();
        try {
            int n = Integer.parseInt(v);
            if (n < 1 || n > 256) {
                throw new SettingsException("clari.workspaces.parallelism", "must be between 1 and 256, not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new SettingsException("clari.workspaces.parallelism", "must be a whole number, not '" + v + "'");
        }
    }

    /**
     * The workspaces of this process's shard ({@code clari.workspaces.shard = i/n}); all of them when unset.
     * Assignment: the names sorted, the k-th (0-based) goes to shard {@code k mod n}. Every pod of a Job reads
     * the same list, so the shards cover each workspace exactly once and differ in size by at most one. A
     * changed list may move workspaces between shards from one run to the next, which is harmless: a
     * workspace's state lives in its own schema, under its own lock, not in the pod.
     */
    public static List<Workspace> shard(List<Workspace> all, Map<String, String> resolved) {
        String spec = resolved.getOrDefault("clari.workspaces.shard", "").trim();
        if (spec.isEmpty()) {
            return all;
        }
        var m = SHARD.matcher(spec);
        if (!m.matches()) {
            throw new SettingsException("clari.workspaces.shard", "must be i/n (shard i of n, 0-based), such as 0/3, not '" + spec + "'");
        }
        int i;
        int n;
        try {
            i = Integer.parseInt(m.group(1));
            n = Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            throw new SettingsException("clari.workspaces.shard", "must be i/n with small whole numbers, not '" + spec + "'");
        }
        if (n < 1 || i >= n) {
            throw new SettingsException("clari.workspaces.shard", "needs 0 <= i < n, not '" + spec + "'");
        }
        List<String> sorted = new ArrayList<>(new TreeSet<>(all.stream().map(Workspace::name).toList()));
        return all.stream().filter(w -> sorted.indexOf(w.name()) % n == i).toList();
    }

    private static ConnectorSettings settingsOf(String name, Map<String, String> resolved, boolean needsCredentials) {
        Map<String, String> p = new LinkedHashMap<>(resolved);
        for (var o : OVERRIDES.entrySet()) {
            String value = valueOf(name, o.getKey(), resolved);
            if (value != null) {
                p.put(o.getValue(), value);
            } else if (SECRET_SUFFIXES.contains(o.getKey())) {
                p.put(o.getValue(), ""); // never the shared credentials
            } else if (o.getKey().equals("schema")) {
                p.put(o.getValue(), name); // a workspace's tables default to a schema of its name
            }
        }
        try {
            return ConnectorSettings.from(p, needsCredentials);
        } catch (SettingsException e) {
            // name the workspace's own key, not the shared one it overrides
            for (var o : OVERRIDES.entrySet()) {
                if (o.getValue().equals(e.key())) {
                    throw new SettingsException(key(name, o.getKey()), problemOf(e));
                }
            }
            throw e;
        }
    }

    /** A per-workspace value as resolved (file, env — a {@code _FILE} variable already read by {@link SecretsPolicy} — or command line). */
    private static String valueOf(String name, String suffix, Map<String, String> resolved) {
        String v = resolved.get(key(name, suffix));
        return v == null || v.isBlank() ? null : v.trim();
    }

    /**
     * The environment's per-workspace values ({@code CLARI_WORKSPACE_<NAME>_<KEY>}) for the workspaces listed in
     * {@code clari.workspaces}, as properties. {@link SettingsSource} applies them between the file and the command line.
     */
    static Map<String, String> fromEnv(Map<String, String> resolved, Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : names(resolved)) {
            for (String suffix : OVERRIDES.keySet()) {
                String v = env.get(EnvNames.of(key(name, suffix)));
                if (v != null) {
                    out.put(key(name, suffix), v);
                }
            }
        }
        return out;
    }

    private static String problemOf(SettingsException e) {
        String msg = e.getMessage();
        String problem = msg.substring(msg.indexOf(": ") + 2);
        int set = problem.lastIndexOf(" (set ");
        return set > 0 ? problem.substring(0, set) : problem;
    }
}
