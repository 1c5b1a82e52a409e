package dev.clarisync.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The declared schema ({@code src/main/resources/schema/declared-schema.json}) against the vendor's OpenAPI
 * description: fails when they drift. {@code -Dclari.schema.regenerate=true} rewrites the resource's
 * {@code tables} from the spec (keeping {@code about} and {@code connectorColumns}); review the diff.
 */
class DeclaredSchemaSpecTest {

    static final Path RESOURCE = Path.of("src/main/resources" + DeclaredSchema.RESOURCE);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void should_match_the_tables_derived_from_the_vendor_spec() throws IOException {
        ArrayNode fromSpec = DeclaredSchema.tablesJson(SpecContract.tables(SpecContract.parse(SpecContract.locate())));
        JsonNode resource = readResource();
        if (Boolean.getBoolean("clari.schema.regenerate")) {
            ObjectNode out = resource.isObject() ? (ObjectNode) resource.deepCopy() : JSON.createObjectNode();
            ObjectNode ordered = JSON.createObjectNode();
            ordered.set("about", out.path("about").isMissingNode() ? JSON.getNodeFactory().textNode("") : out.get("about"));
            ordered.set("tables", fromSpec);
            ordered.set("connectorColumns", out.path("connectorColumns").isMissingNode() ? JSON.createArrayNode() : out.get("connectorColumns"));
            Files.writeString(RESOURCE, JSON.writeValueAsString(ordered) + "\n");
            resource = ordered;
        }
        assertThat(JSON.writeValueAsString(resource.path("tables")))
                .as("declared-schema.json and the OpenAPI spec drifted: review the spec change, then run this test with"
                        + " -Dclari.schema.regenerate=true and commit the resource together with docs/tables.md")
                .isEqualTo(JSON.writeValueAsString(fromSpec));
    }

    @Test
    void should_notice_when_a_declared_type_changes_in_the_spec() {
        OpenAPI api = SpecContract.parse(SpecContract.locate());
        @SuppressWarnings("unchecked")
        Schema<Object> metrics = (Schema<Object>) api.getComponents().getSchemas().get("Call").getProperties().get("metrics");
        metrics.getProperties().get("talk_listen_ratio").setType("integer");
        ArrayNode drifted = DeclaredSchema.tablesJson(SpecContract.tables(api));
        assertThat(drifted).isNotEqualTo(readResource().path("tables"));
        assertThat(DeclaredSchema.fromJson(JSON.createObjectNode().set("tables", drifted))
                .column("calls", "/metrics/talk_listen_ratio").type()).isEqualTo(ColumnType.BIGINT);
    }

    @Test
    void should_give_one_field_one_shape_wherever_it_appears() {
        DeclaredSchema d = DeclaredSchema.bundled();
        for (DeclaredSchema.Table t : d.tables("calls")) {
            String detailsPath = "call_details" + t.path().substring("calls".length());
            DeclaredSchema.Table twin = d.table(detailsPath);
            assertThat(twin).as(detailsPath).isNotNull();
            assertThat(twin.name()).isEqualTo("call_details" + t.name().substring("calls".length()));
            for (DeclaredSchema.Column c : t.columns()) {
                assertThat(twin.column(c.pointer())).as(detailsPath + c.pointer()).isNotNull()
                        .extracting(DeclaredSchema.Column::type, DeclaredSchema.Column::name).containsExactly(c.type(), c.name());
            }
        }
        assertThat(d.isChildTable("call_details/joinedParticipants[]")).isTrue();
        assertThat(d.isChildTable("calls/joinedParticipants[]")).isTrue();
        assertThat(d.column("calls", "/metrics/talk_listen_ratio").type()).isEqualTo(ColumnType.DOUBLE);
        assertThat(d.column("calls", "/audio_url").type()).isEqualTo(ColumnType.VARCHAR);
        assertThat(d.column("calls", "/time").type()).isEqualTo(ColumnType.TIMESTAMP);
        assertThat(d.column("calls", "/contact_names").type()).isEqualTo(ColumnType.JSON);
    }

    static JsonNode readResource() {
        try (InputStream in = DeclaredSchema.class.getResourceAsStream(DeclaredSchema.RESOURCE)) {
            return in == null ? JSON.createObjectNode() : JSON.readTree(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
