package io.shmipc.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.shmipc.core.ShmClient;
import io.shmipc.spring.ShmServerLifecycle;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of shmipc meters, when Micrometer and a {@link MeterRegistry} are present. The
 * request timers come from the observations; see {@link ShmAutoConfiguration}.
 */
@AutoConfiguration(
        after = ShmAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({MeterRegistry.class, ShmClient.class})
@ConditionalOnBean({MeterRegistry.class, ShmClient.class})
public final class ShmMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ShmMetrics shmMetrics(MeterRegistry registry, ObjectProvider<ShmServerLifecycle> lifecycle, ShmClient client) {
        return new ShmMetrics(registry, lifecycle, client);
    }
}
