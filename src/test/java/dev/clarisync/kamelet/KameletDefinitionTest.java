package dev.clarisync.kamelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The Kamelet's definition follows the Apache catalog's conventions, names our artifact as the pom builds it, is packaged
 * where Camel looks for Kamelets on the classpath, and its two examples use only the properties it defines.
 */
class KameletDefinitionTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path KAMELET = Path.of("kamelets/clari-copilot-source.kamelet.yaml");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z0-9_.-]+)}}");

    @Test
    void should_be_a_source_kamelet_with_a_json_schema_definition() throws Exception {
        JsonNode k = YAML.readTree(KAMELET.toFile());
        assertThat(k.path("apiVersion").asText()).isEqualTo("camel.apache.org/v1");
        assertThat(k.path("kind").asText()).isEqualTo("Kamelet");
        assertThat(k.at("/metadata/name").asText()).isEqualTo("clari-copilot-source");
        assertThat(k.at("/metadata/labels/camel.apache.org~1kamelet.type").asText()).isEqualTo("source");
        JsonNode def = k.at("/spec/definition");
        assertThat(def.path("title").asText()).isNotBlank();
        assertThat(def.path("description").asText()).isNotBlank();
        assertThat(YAML.convertValue(def.path("required"), List.class)).containsExactly("apiKey", "apiPassword");
        assertThat(fieldNames(def.path("properties")))
                .contains("apiKey", "apiPassword", "baseUrl", "period", "startDate", "includeDetails", "stateFile");
        for (String secret : List.of("apiKey", "apiPassword")) {
            JsonNode p = def.at("/properties/" + secret);
            assertThat(p.path("format").asText()).as(secret).isEqualTo("password");
            assertThat(YAML.convertValue(p.path("x-descriptors"), List.class)).as(secret).contains("urn:camel:group:credentials");
        }
        def.path("properties").fields().forEachRemaining(p -> {
            assertThat(p.getValue().path("title").asText()).as(p.getKey()).isNotBlank();
            assertThat(p.getValue().path("description").asText()).as(p.getKey()).isNotBlank();
            assertThat(p.getValue().path("type").asText()).as(p.getKey()).isIn("string", "integer", "boolean");
        });
        assertThat(k.at("/spec/types").isMissingNode()).as("spec.types is deprecated for spec.dataTypes").isTrue();
    }

    @Test
    void should_start_from_a_real_endpoint_end_at_the_sink_and_use_every_property() throws Exception {
        JsonNode k = YAML.readTree(KAMELET.toFile());
        JsonNode template = k.at("/spec/template");
        assertThat(template.at("/from/uri").asText()).startsWith("timer:");
        String text = template.toString();
        assertThat(text).contains("\"kamelet:sink\"");
        assertThat(text).doesNotContain("kamelet:source");
        Set<String> used = placeholders(text);
        Set<String> defined = fieldNames(k.at("/spec/definition/properties"));
        // every property reaches the template, and the template refers only to properties and its own beans
        assertThat(used).containsAll(defined);
        Set<String> beans = new TreeSet<>();
        template.path("beans").forEach(b -> beans.add(b.path("name").asText()));
        assertThat(used).allSatisfy(u -> assertThat(defined.contains(u) || beans.contains(u)).as(u).isTrue());
        // the bean's class is ours and exists
        template.path("beans").forEach(b -> {
            String type = b.path("type").asText();
            assertThat(type).startsWith("#class:dev.clarisync.");
            try {
                Class.forName(type.substring("#class:".length()));
            } catch (ClassNotFoundException e) {
                throw new AssertionError("the Kamelet's bean class is missing: " + type, e);
            }
        });
    }

    @Test
    void should_name_our_artifact_as_the_pom_builds_it() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        String gav = "mvn:" + child(pom, "groupId") + ":" + child(pom, "artifactId") + ":" + child(pom, "version");
        JsonNode deps = YAML.readTree(KAMELET.toFile()).at("/spec/dependencies");
        List<String> all = new ArrayList<>();
        deps.forEach(d -> all.add(d.asText()));
        assertThat(all).contains(gav, "camel:timer", "camel:bean", "camel:kamelet");
        assertThat(all).filteredOn(d -> d.startsWith("mvn:")).containsExactly(gav);
    }

    @Test
    void should_be_packaged_under_kamelets_on_the_classpath() throws Exception {
        try (var in = getClass().getResourceAsStream("/kamelets/clari-copilot-source.kamelet.yaml")) {
            assertThat(in).as("classpath:kamelets/clari-copilot-source.kamelet.yaml").isNotNull();
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(Files.readString(KAMELET));
        }
    }

    @Test
    void should_give_the_examples_only_properties_the_kamelet_defines() throws Exception {
        Set<String> defined = fieldNames(YAML.readTree(KAMELET.toFile()).at("/spec/definition/properties"));
        JsonNode route = YAML.readTree(Path.of("examples/clari-to-log.camel.yaml").toFile()).get(0).path("route");
        assertThat(route.at("/from/uri").asText()).isEqualTo("kamelet:clari-copilot-source");
        assertThat(defined).containsAll(fieldNames(route.at("/from/parameters")));
        JsonNode pipe = YAML.readTree(Path.of("examples/clari-to-log.pipe.yaml").toFile());
        assertThat(pipe.path("kind").asText()).isEqualTo("Pipe");
        assertThat(pipe.at("/spec/source/ref/name").asText()).isEqualTo("clari-copilot-source");
        assertThat(pipe.at("/spec/sink/ref/name").asText()).isEqualTo("log-sink");
        assertThat(defined).containsAll(fieldNames(pipe.at("/spec/source/properties")));
    }

    private static String child(Document pom, String name) {
        return pom.getDocumentElement().getElementsByTagName(name).item(0).getTextContent().trim();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> placeholders(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
