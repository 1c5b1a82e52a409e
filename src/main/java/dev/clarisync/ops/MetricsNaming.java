package dev.clarisync.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Makes {@code /observe/metrics} pass {@code promtool check metrics} with no findings: label names in snake_case
 * (Camel tags its meters {@code camelContext}, {@code routeId}, {@code eventType}, ... → {@code camel_context},
 * {@code route_id}, {@code event_type}), and a help text on every metric (Camel registers several without one, as
 * does {@code app.info}). Applies to meters registered after {@link #apply}, so it is applied as soon as the
 * registry exists.
 */
public final class MetricsNaming implements MeterFilter {
    /** Help texts for meters registered without one, by Micrometer name. */
    static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("app.info", "Application information (Camel version and name) as labels; the value is always 1"),
            Map.entry("camel.exchange.event.notifier", "Time exchanges took, measured by Camel's event notifier"),
            Map.entry("camel.route.policy", "Time exchanges took per route (Camel route policy)"),
            Map.entry("camel.routes.added", "Routes added to the Camel context"),
            Map.entry("camel.routes.reloaded", "Routes reloaded from edited route files"),
            Map.entry("camel.routes.running", "Routes running in the Camel context"));

    private MetricsNaming() {
    }

    /** Adds the filter to {@code registry}; returns it. */
    public static <R extends MeterRegistry> R apply(R registry) {
        registry.config().meterFilter(new MetricsNaming());
        return registry;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        List<Tag> tags = new ArrayList<>();
        boolean renamed = false;
        for (Tag t : id.getTagsAsIterable()) {
            String key = snake(t.getKey());
            renamed |= !key.equals(t.getKey());
            tags.add(Tag.of(key, t.getValue()));
        }
        String description = id.getDescription();
        boolean described = description != null && !description.isBlank();
        if (!renamed && described) {
            return id;
        }
        if (!described) {
            description = DESCRIPTIONS.getOrDefault(id.getName(), generic(id.getName()));
        }
        return new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(tags), id.getBaseUnit(), description, id.getType());
    }

    /** {@code camelContext} → {@code camel_context}; already snake_case names are unchanged. */
    static String snake(String name) {
        StringBuilder s = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && name.charAt(i - 1) != '_') {
                    s.append('_');
                }
                s.append(Character.toLowerCase(c));
            } else {
                s.append(c == '.' || c == '-' ? '_' : c);
            }
        }
        return s.toString();
    }

    /** A help text for a meter nobody described: its name in words, so the exposition is still self-describing. */
    static String generic(String name) {
        return name.replace('.', ' ').replace('_', ' ').toLowerCase(Locale.ROOT).strip() + " (no description from its source)";
    }
}
