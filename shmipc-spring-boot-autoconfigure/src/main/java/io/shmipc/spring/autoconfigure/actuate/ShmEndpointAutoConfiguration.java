package io.shmipc.spring.autoconfigure.actuate;

import io.micrometer.core.instrument.MeterRegistry;
import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmRegionInspector;
import io.shmipc.spring.ShmHandlerRegistry;
import io.shmipc.spring.ShmRoleDecider;
import io.shmipc.spring.autoconfigure.ShmAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code shmipc} Actuator endpoint, when spring-boot-actuator is present and the
 * endpoint is exposed ({@code management.endpoints.web.exposure.include=shmipc}); it is not by default.
 */
@AutoConfiguration(
        after = ShmAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({Endpoint.class, ShmClient.class})
@ConditionalOnBean(ShmClient.class)
@ConditionalOnAvailableEndpoint(ShmEndpoint.class)
public final class ShmEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ShmEndpoint shmEndpoint(
            ShmClient client,
            ObjectProvider<ShmConfig> config,
            ObjectProvider<ShmRoleDecider> roleDecider,
            ObjectProvider<ShmHandlerRegistry> handlers,
            ObjectProvider<MeterRegistry> meters) {
        ShmConfig settings = config.getIfAvailable(
                () -> ShmConfig.builder().directory(client.path().getParent()).build());
        return new ShmEndpoint(client, ShmRegionInspector.of(settings), roleDecider, handlers, meters);
    }
}
