package dev.clarisync.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link ExchangeProperties} is the one home of the names the routes and the beans share: every name a route file
 * uses is declared there, every name declared there is used, and no other class declares one.
 */
class ExchangePropertiesTest {
    /** How a route names a property or header: {@code ${exchangeProperty.x}}, {@code exchangeProperty: x}, {@code name: x}, {@code ${header.x}}. */
    private static final Pattern ROUTE_USE = Pattern.compile(
            "exchangeProperty[.:]\\s*(\\w+)|(?:setProperty|removeProperty|setHeader|removeHeader):\\s*\\n\\s*name:\\s*(\\w+)|header[.:]\\s*(\\w+)");
    /** Our names are lowerCamel with the {@code clari} prefix; any such word in a route (comments included) is one. */
    private static final Pattern OUR_NAME = Pattern.compile("\\bclari[A-Z]\\w*");
    private static final Pattern CONSTANT = Pattern.compile("static final String (\\w+) = \"(clari[A-Z]\\w*)\"");

    @Test
    void every_name_a_route_uses_is_declared() throws IOException {
        Map<String, String> declared = declared();
        List<String> unknown = new ArrayList<>();
        for (Path route : routes()) {
            String yaml = Files.readString(route);
            Matcher m = ROUTE_USE.matcher(yaml);
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                if (!name.startsWith("Camel") && !declared.containsValue(name)) {
                    unknown.add(route.getFileName() + ": " + name);
                }
            }
            Matcher ours = OUR_NAME.matcher(yaml);
            while (ours.find()) {
                if (!declared.containsValue(ours.group())) {
                    unknown.add(route.getFileName() + ": " + ours.group());
                }
            }
        }
        assertEquals(List.of(), unknown, "names used in routes/*.camel.yaml but not declared in ExchangeProperties");
    }

    @Test
    void every_declared_name_is_used_by_a_route_or_a_bean() throws IOException {
        StringBuilder routes = new StringBuilder();
        for (Path route : routes()) {
            routes.append(Files.readString(route));
        }
        StringBuilder main = new StringBuilder();
        for (Path source : sources()) {
            if (!source.endsWith("ExchangeProperties.java")) {
                main.append(Files.readString(source));
            }
        }
        List<String> unused = new ArrayList<>();
        declared().forEach((constant, name) -> {
            boolean inJava = Pattern.compile("ExchangeProperties\\." + constant + "\\b").matcher(main).find();
            if (!inJava && !routes.toString().contains(name)) {
                unused.add(constant + " = " + name);
            }
        });
        assertEquals(List.of(), unused, "declared in ExchangeProperties but used nowhere");
    }

    @Test
    void no_other_class_declares_a_name() throws IOException {
        List<String> elsewhere = new ArrayList<>();
        for (Path source : sources()) {
            if (source.endsWith("ExchangeProperties.java")) {
                continue;
            }
            Matcher m = CONSTANT.matcher(Files.readString(source));
            while (m.find()) {
                elsewhere.add(source.getFileName() + ": " + m.group(1) + " = " + m.group(2));
            }
        }
        assertEquals(List.of(), elsewhere, "exchange-property names belong in ExchangeProperties");
    }

    @Test
    void names_are_distinct_and_every_one_says_who_sets_and_reads_it() throws IOException {
        Map<String, String> declared = declared();
        assertEquals(declared.size(), new TreeSet<>(declared.values()).size(), "two constants, one name: " + declared);
        String source = Files.readString(Path.of("src/main/java/dev/clarisync/routes/ExchangeProperties.java"));
        for (String constant : declared.keySet()) {
            Matcher doc = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*public static final String " + constant + " ", Pattern.DOTALL)
                    .matcher(source);
            assertTrue(doc.find(), constant + " has no comment");
            String text = doc.group(1).replaceAll("\\s*\\*\\s*", " ");
            assertTrue(text.contains("Set") || text.contains("set"), constant + ": who sets it?");
            assertTrue(text.contains("read"), constant + ": who reads it?");
        }
    }

    private static Map<String, String> declared() {
        Map<String, String> names = new LinkedHashMap<>();
        for (Field f : ExchangeProperties.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    names.put(f.getName(), (String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return names;
    }

    private static List<Path> routes() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
