package dev.clarisync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class MetricsNamingTest {
    @Test
    void should_write_camel_case_tags_in_snake_case_and_give_every_meter_a_help_text() {
        PrometheusMeterRegistry registry = MetricsNaming.apply(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Counter.builder("camel.exchanges").tag("camelContext", "c").tag("routeId", "clari-api").description("Exchanges")
                .register(registry).increment();
        Gauge.builder("camel.routes.running", () -> 9).tag("eventType", "context").register(registry);
        Gauge.builder("some.future.meter", () -> 1).register(registry);

        String scrape = registry.scrape();
        assertThat(scrape).contains("camel_exchanges_total{camel_context=\"c\",route_id=\"clari-api\"} 1.0")
                .contains("camel_routes_running{event_type=\"context\"} 9.0")
                .contains("# HELP camel_exchanges_total Exchanges")
                .contains("# HELP camel_routes_running Routes running in the Camel context")
                .contains("# HELP some_future_meter some future meter (no description from its source)")
                .doesNotContain("camelContext").doesNotContain("routeId");
    }

    @Test
    void should_leave_snake_case_names_alone() {
        assertThat(MetricsNaming.snake("route_id")).isEqualTo("route_id");
        assertThat(MetricsNaming.snake("camelContext")).isEqualTo("camel_context");
        assertThat(MetricsNaming.snake("endpointName")).isEqualTo("endpoint_name");
    }
}
