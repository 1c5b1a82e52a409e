package dev.clarisync.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.SettingsSource;
import dev.clarisync.sync.StreamCatalog;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The declared schema is derived for exactly the catalog's streams, each from the endpoint and answer field its
 * declaration names ({@link SpecContract#STREAMS} keeps its own order: it is the order of {@code declared-schema.json}).
 */
class SpecContractStreamsTest {
    @Test
    void should_derive_the_declared_schema_for_exactly_the_catalogs_streams() {
        ConnectorSettings defaults = ConnectorSettings.from(SettingsSource.resolve(Map.of(), Map.of(), Path.of("")), false);
        assertThat(SpecContract.STREAMS).containsExactlyInAnyOrderElementsOf(StreamCatalog.all(defaults).stream()
                .map(s -> new SpecContract.Stream(s.name(), s.path(), s.selector())).toList());
    }
}
