package io.shmipc.spring.autoconfigure.actuate;

import io.micrometer.core.instrument.MeterRegistry;
import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmRegionInspector;
import io.shmipc.spring.ShmHandlerRegistry;
import io.shmipc.spring.ShmRoleDecider;
import io.shmipc.spring.autoconfigure.ShmAutoConfiguration;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code shmipc} Actuator endpoint, when Actuator is present and the endpoint is
 * exposed ({@code management.endpoints.web.exposure.include=shmipc}); it is not by default.
 *
 * <p>The endpoint condition sits on a nested class: its condition type lives in
 * spring-boot-actuator-autoconfigure, and the outer class checks that it is there before Spring loads it.
 */
@AutoConfiguration(
        after = ShmAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(
        value = ShmClient.class,
        name = {
            "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
            "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"
        })
@ConditionalOnBean(ShmClient.class)
public final class ShmEndpointAutoConfiguration {

    /** The endpoint, when exposed and not switched off. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnAvailableEndpoint(ShmEndpoint.class)
    static final class Exposed {

        @Bean
        @ConditionalOnMissingBean
        ShmEndpoint shmEndpoint(
                ShmClient client,
                ObjectProvider<ShmConfig> config,
                ObjectProvider<ShmRoleDecider> roleDecider,
                ObjectProvider<ShmHandlerRegistry> handlers,
                ObjectProvider<MeterRegistry> meters) {
            ShmConfig settings = config.getIfAvailable(() -> ShmConfig.builder()
                    .directory(Objects.requireNonNull(client.path().getParent(), "region directory"))
                    .build());
            return new ShmEndpoint(client, ShmRegionInspector.of(settings), roleDecider, handlers, meters);
        }
    }
}
