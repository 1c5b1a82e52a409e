package dev.clarisync.cli;

import dev.clarisync.config.SettingsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code <command> [--key=value ...] [--help]}: the command, the property overrides, and whether help was asked. */
public record CommandLine(String command, Map<String, String> overrides, boolean help) {
    public static final List<String> COMMANDS = List.of("sync", "run", "check", "demo", "report");

    public static CommandLine parse(String... args) {
        String command = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        boolean help = false;
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h") || arg.equals("help")) {
                help = true;
            } else if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                if (eq < 3) {
                    throw new SettingsException(arg.substring(2), "options are written --key=value (e.g. --clari.api.rate-limit=5)");
                }
                overrides.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (command == null) {
                command = arg;
            } else {
                throw new SettingsException("command", "unexpected argument '" + arg + "'; see --help");
            }
        }
        if (command != null && !COMMANDS.contains(command)) {
            throw new SettingsException("command", "unknown command '" + command + "' (commands: " + String.join(", ", COMMANDS) + ")");
        }
        return new CommandLine(command, overrides, help || command == null);
    }
}
