package dev.clarisync.cli;

import dev.clarisync.config.SettingsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <command> [arguments] [--key=value ...] [--help]}: the command, the property overrides, whether help was
 * asked, the command's own arguments ({@code sql "SELECT ..."}), {@code sql}'s {@code --format}, and the workspace
 * {@code report} and {@code sql} read ({@code --workspace=<name>}, null if not given), and how long they wait for a sync
 * that has the DuckDB file ({@code --wait=DURATION}; zero if not given: a busy file exits 5 at once).
 */
public record CommandLine(String command, Map<String, String> overrides, boolean help, List<String> arguments, String format,
                          String workspace, java.time.Duration waitForWarehouse) {
    public static final List<String> COMMANDS = List.of("sync", "run", "check", "demo", "report", "sql", "export", "forget");
    /** Output formats of {@code export}. */
    public static final List<String> EXPORT_FORMATS = List.of("parquet");
    /** Output formats of {@code sql}. */
    public static final List<String> FORMATS = List.of("table", "csv", "json");

    public static CommandLine parse(String... raw) {
        // forget's options may also be written with a space: --email dana@acme.example
        List<String> joined = new ArrayList<>();
        for (int i = 0; i < raw.length; i++) {
            if (List.of("--email", "--name", "--phone").contains(raw[i]) && i + 1 < raw.length) {
                joined.add(raw[i] + "=" + raw[++i]);
            } else {
                joined.add(raw[i]);
            }
        }
        String[] args = joined.toArray(String[]::new);
        String command = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        List<String> arguments = new ArrayList<>();
        String format = null;
        String workspace = null;
        String wait = null;
        boolean help = false;
        String exportOption = null; // export's own options travel in arguments (ExportCommand.Options)
        boolean toFollows = false;
        for (String arg : args) {
            if (toFollows) {
                arguments.add("--to=" + arg);
                toFollows = false;
            } else if (arg.equals("--to") || arg.equals("--since-last")) {
                exportOption = arg.substring(2);
                toFollows = arg.equals("--to");
                if (!toFollows) {
                    arguments.add(arg);
                }
            } else if (arg.equals("--help") || arg.equals("-h") || arg.equals("help")) {
                help = true;
            } else if (arg.equals("--dry-run")) {
                overrides.put("dry-run", "true"); // forget only
            } else if (arg.equals("--rebuild")) {
                // sync only: re-hash a warehouse whose privacy settings changed (README "Privacy")
                overrides.put("clari.privacy.rebuild", "true");
            } else if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                if (eq < 3) {
                    throw new SettingsException(arg.substring(2), "options are written --key=value (e.g. --clari.api.rate-limit=5)");
                }
                String key = arg.substring(2, eq);
                if (key.equals("to") || key.equals("tables")) {
                    exportOption = key;
                    arguments.add(arg);
                } else if (key.equals("format")) {
                    format = arg.substring(eq + 1);
                } else if (key.equals("wait")) {
                    wait = arg.substring(eq + 1).trim();
                } else if (key.equals("workspace")) {
                    workspace = arg.substring(eq + 1).trim();
                } else {
                    overrides.put(key, arg.substring(eq + 1));
                }
            } else if (command == null) {
                command = arg;
            } else {
                arguments.add(arg);
            }
        }
        if (command != null && !COMMANDS.contains(command)) {
            throw new SettingsException("command", "unknown command '" + command + "' (commands: " + String.join(", ", COMMANDS) + ")");
        }
        boolean sql = "sql".equals(command);
        boolean export = "export".equals(command);
        if (exportOption != null && !export) {
            throw SettingsException.plain(exportOption, "--" + exportOption + " applies to the export command only");
        }
        if (export && format != null && !EXPORT_FORMATS.contains(format)) {
            throw SettingsException.plain("format", "export writes --format=parquet, not '" + format + "'");
        }
        if (!sql && !export && !arguments.isEmpty()) {
            throw new SettingsException("command", "unexpected argument '" + arguments.get(0) + "'; see --help");
        }
        if (!"forget".equals(command) && (overrides.containsKey("dry-run") || overrides.containsKey("email")
                || overrides.containsKey("phone") || overrides.containsKey("name"))) {
            throw SettingsException.plain("command", "--email, --name, --phone and --dry-run apply to the forget command only");
        }
        if (format != null && !sql && !export) {
            throw SettingsException.plain("format", "--format applies to the sql and export commands only");
        }
        if (workspace != null && !sql && !"report".equals(command) && !"forget".equals(command)) {
            throw SettingsException.plain("workspace", "--workspace applies to the report and sql commands only");
        }
        if (wait != null && !sql && !"report".equals(command)) {
            throw SettingsException.plain("wait", "--wait applies to the report and sql commands only");
        }
        java.time.Duration waitFor = java.time.Duration.ZERO;
        if (wait != null) {
            try {
                waitFor = java.time.Duration.parse(wait);
            } catch (java.time.format.DateTimeParseException e) {
                waitFor = null;
            }
            if (waitFor == null || waitFor.isNegative()) {
                throw SettingsException.plain("wait", "--wait must be an ISO-8601 duration such as PT2M or PT30S, not '" + wait + "'");
            }
        }
        if (export && !help && arguments.stream().noneMatch(a -> a.startsWith("--to="))) {
            throw SettingsException.plain("to", "export needs --to=DIR: export --format=parquet --to=./lake");
        }
        if (export && arguments.stream().anyMatch(a -> !a.startsWith("--"))) {
            throw SettingsException.plain("command", "unexpected argument '" + arguments.stream().filter(a -> !a.startsWith("--"))
                    .findFirst().orElseThrow() + "' for export; see export --help");
        }
        if (format != null && sql && !FORMATS.contains(format)) {
            throw SettingsException.plain("format", "--format must be one of " + String.join(", ", FORMATS) + ", not '" + format + "'");
        }
        if (sql && !help && arguments.size() != 1) {
            throw SettingsException.plain("command", arguments.isEmpty()
                    ? "sql needs a query: sql \"SELECT count(*) FROM calls\""
                    : "sql takes one query; quote it as one argument: sql \"SELECT ...\"");
        }
        return new CommandLine(command, overrides, help || command == null, List.copyOf(arguments),
                format == null ? (export ? "parquet" : "table") : format,
                workspace, waitFor);
    }
}
