package dev.clarisync.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The body of a view, read from {@code src/main/resources/sql/views/<name>.sql} with its named placeholders
 * ({@code ${v_calls}}, {@code ${users}}, ...) filled in. Leading {@code --} comment lines say what the view is and
 * which placeholders it takes; they are not part of the body. A placeholder without a value, or a value no
 * placeholder takes, is a programming error and fails at once (a view that reads a wrong table would fail later, in
 * the warehouse, far from the cause).
 */
final class ViewSql {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z0-9_]+)}");
    private static final Map<String, String> BODIES = new ConcurrentHashMap<>();

    private ViewSql() {
    }

    /** The body of {@code name} with every placeholder replaced by its value in {@code values}. */
    static String load(String name, Map<String, ?> values) {
        String body = BODIES.computeIfAbsent(name, ViewSql::read);
        Matcher m = PLACEHOLDER.matcher(body);
        StringBuilder out = new StringBuilder();
        java.util.Set<String> used = new java.util.HashSet<>();
        while (m.find()) {
            Object value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("sql/views/" + name + ".sql: no value for ${" + m.group(1) + "}");
            }
            used.add(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value.toString()));
        }
        m.appendTail(out);
        if (!used.containsAll(values.keySet())) {
            throw new IllegalArgumentException("sql/views/" + name + ".sql takes no placeholder among " + values.keySet()
                    + " but " + used);
        }
        return out.toString();
    }

    /** The file's text without its leading comment lines and its final line break. */
    private static String read(String name) {
        String path = "/sql/views/" + name + ".sql";
        try (InputStream in = ViewSql.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no view body " + path + " on the class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
            while (text.startsWith("--")) {
                text = text.substring(text.indexOf('\n') + 1);
            }
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
